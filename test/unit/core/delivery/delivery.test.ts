// core.delivery: recipient resolution, inbound and submitted mail, and the queue's life cycle
// (claim, defer, deliver, bounce, reclaim) with the message references the store check counts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError, type Actor, type Recipient } from '../../../../src/core/index.ts';
import { actorOf, coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
let alice: Actor;
let bob: Actor;
let kitchen: number;
const raw = (subject: string) => Buffer.from(`From: alice@keep.test\r\nTo: someone\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@x>\r\n\r\nbody\r\n`);

beforeEach(async () => {
  f = await coreFixture();
  f.core.settings.localDomains.push('keep2.test');
  alice = actorOf(await f.core.users.create(f.system, { name: 'alice', password: 'pw', addresses: ['al@keep.test'] }));
  bob = (await f.user('bob')).actor;
  kitchen = (await f.core.rooms.create(f.system, { name: 'Kitchen', kind: 'public' })).roomnum;
  await f.core.rooms.update(f.system, kitchen, { listAddress: 'kitchen' });
});
afterEach(async () => { await f.close(); });

const kindOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return err instanceof CoreError ? err.kind : 'other';
  }
};

describe('delivery.resolve', () => {
  it.each([
    ['alice@keep.test', 'user'],
    ['ALICE@Keep.Test', 'user'],
    ['alice@keep2.test', 'user'],
    ['al@keep.test', 'user'],
    ['kitchen@keep.test', 'room'],
    ['Kitchen@keep2.test', 'room'],
    ['someone@remote.example', 'remote'],
    ['alice', 'user'],
    ['Alice @ keep', 'user'],
    ['alice@keep', 'user'],
    ['al @ keep2.test', 'user'],
    ['kitchen @ keep', 'room'],
  ])('%s is a %s', (address, kind) => {
    expect(f.core.delivery.resolve(address).kind).toBe(kind);
  });

  it('resolves an alias to its user', () => {
    const r = f.core.delivery.resolve('al@keep.test') as Extract<Recipient, { kind: 'user' }>;
    expect(r.usernum).toBe(f.core.users.get('alice').usernum);
  });

  it.each([
    ['nobody@keep.test', 'not-found'],
    ['nobody', 'not-found'],
    ['nobody @ keep', 'not-found'],
    ['a b@keep.test', 'not-found'], // a user name may hold spaces
    ['alice @ elsewhere', 'invalid'], // neither this node nor an Internet domain
    ['<alice>', 'invalid'],
    ['a@b@keep.test', 'invalid'],
    ['a b@remote.example', 'invalid'],
    ['a@-bad-.test', 'invalid'],
    ['', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(kindOf(() => f.core.delivery.resolve(address))).toBe(kind);
  });
});

describe('delivery.inbound and submit', () => {
  it('stores one message with a placement per recipient room', async () => {
    const rcpts = ['alice@keep.test', 'bob@keep.test', 'kitchen@keep.test'].map((a) => f.core.delivery.resolve(a));
    const m = await f.core.delivery.inbound(f.system, { raw: raw('in'), sender: 'x@remote.example', recipients: rcpts });
    for (const room of [f.core.rooms.mailbox(f.core.users.get('alice').usernum, 'inbox').roomnum, f.core.rooms.mailbox(f.core.users.get('bob').usernum, 'inbox').roomnum, kitchen]) {
      expect(f.core.messages.list(f.system, room)).toEqual([m.msgnum]);
    }
    expect(f.store.dbs.messages.get(m.msgnum)!.refcount).toBe(3);
  });

  it('refuses inbound relaying and inbound delivery by a user', async () => {
    const remote = f.core.delivery.resolve('x@remote.example');
    await expect(f.core.delivery.inbound(f.system, { raw: raw('r'), sender: '', recipients: [remote] })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(f.core.delivery.inbound(alice, { raw: raw('r'), sender: '', recipients: [f.core.delivery.resolve('bob@keep.test')] })).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('lets a user send only as one of their addresses', () => {
    expect(kindOf(() => f.core.delivery.checkSender(alice, 'al@keep.test'))).toBe('ok');
    expect(kindOf(() => f.core.delivery.checkSender(alice, 'alice@keep2.test'))).toBe('ok');
    expect(kindOf(() => f.core.delivery.checkSender(alice, 'bob@keep.test'))).toBe('forbidden');
    expect(kindOf(() => f.core.delivery.checkSender(alice, 'alice@remote.example'))).toBe('forbidden');
    expect(kindOf(() => f.core.delivery.checkSender(f.system, 'alice@keep.test'))).toBe('not-logged-in');
  });

  it('submits without a Sent copy unless asked (mail clients save their own)', async () => {
    const rcpts = ['bob@keep.test'].map((a) => f.core.delivery.resolve(a));
    const m = await f.core.delivery.submit(alice, { raw: raw('no copy'), sender: 'alice@keep.test', recipients: rcpts });
    expect(f.core.messages.list(f.system, f.core.rooms.mailbox(f.core.users.get('alice').usernum, 'sent').roomnum)).not.toContain(m.msgnum);
    expect(f.store.dbs.messages.get(m.msgnum)!.refcount).toBe(1);
  });

  it('submits: local delivery, a Sent copy (saveSent) and a queue entry holding a reference', async () => {
    const rcpts = ['bob@keep.test', 'far@remote.example'].map((a) => f.core.delivery.resolve(a));
    const m = await f.core.delivery.submit(alice, { raw: raw('sub'), sender: 'alice@keep.test', recipients: rcpts }, { saveSent: true });
    expect(f.core.messages.list(f.system, f.core.rooms.mailbox(f.core.users.get('alice').usernum, 'sent').roomnum)).toEqual([m.msgnum]);
    const q = f.core.delivery.queue.list(f.system);
    expect(q).toMatchObject([{ msgnum: m.msgnum, recipient: 'far@remote.example', sender: 'alice@keep.test', attempts: 0, state: 'pending' }]);
    expect(f.store.dbs.messages.get(m.msgnum)!.refcount).toBe(3);
    expect(f.core.check.run().problems).toEqual([]);
  });
});

describe('delivery.queue', () => {
  const queued = async (to = 'far@remote.example') => {
    const m = await f.core.delivery.submit(alice, { raw: raw(`q ${to}`), sender: 'alice@keep.test', recipients: [f.core.delivery.resolve(to)] }, { saveSent: true });
    return m.msgnum;
  };

  it('sends one delay notice (Action: delayed) with a deferral that asks for it, and never a second', async () => {
    await queued('slow@remote.example');
    const inbox = () => f.core.messages.list(f.system, f.core.rooms.mailbox(f.core.users.get('alice').usernum, 'inbox').roomnum);
    const before = inbox().length;
    const [e] = await f.core.delivery.queue.claimDue(f.system, { now: Date.now() + 10, limit: 10, leaseMs: 60_000 });
    await f.core.delivery.queue.deferred(f.system, e!, { error: '451 4.7.1 greylisted', retryAt: Date.now(), isTls: true, notifyDelay: true });
    expect(inbox().length).toBe(before + 1);
    const text = f.core.messages.raw(f.system, inbox().at(-1)!).toString();
    expect(text).toContain('Action: delayed');
    expect(text).toContain('Status: 4.7.1');
    expect(text).toContain('Subject: Delayed Mail: slow@remote.example');
    const [again] = await f.core.delivery.queue.claimDue(f.system, { now: Date.now() + 10, limit: 10, leaseMs: 60_000 });
    expect(again).toMatchObject({ delayNotified: true, lastTls: true, lastError: '451 4.7.1 greylisted' });
    await f.core.delivery.queue.deferred(f.system, again!, { error: '451 still', retryAt: Date.now(), notifyDelay: true });
    expect(inbox().length).toBe(before + 1);
    await f.core.delivery.queue.remove(f.system, again!.msgnum);
  });

  it('claims due entries under a lease, defers, then delivers and drops the reference', async () => {
    const msgnum = await queued();
    const now = Date.now() + 10;
    const [e] = await f.core.delivery.queue.claimDue(f.system, { now, limit: 10, leaseMs: 60_000 });
    expect(e).toMatchObject({ msgnum, attempts: 1, state: 'sending', due: now + 60_000 });
    expect(await f.core.delivery.queue.claimDue(f.system, { now, limit: 10, leaseMs: 60_000 })).toEqual([]);
    await f.core.delivery.queue.deferred(f.system, e!, { error: '451 later', retryAt: now + 5 });
    const [again] = await f.core.delivery.queue.claimDue(f.system, { now: now + 5, limit: 10, leaseMs: 60_000 });
    expect(again).toMatchObject({ attempts: 2, lastError: '451 later' });
    await f.core.delivery.queue.delivered(f.system, again!);
    expect(f.core.delivery.queue.list(f.system)).toEqual([]);
    expect(f.store.dbs.messages.get(msgnum)!.refcount).toBe(1); // the Sent copy
  });

  it('bounces a failed entry into the sender\'s Mail room as a DSN', async () => {
    const msgnum = await queued('gone@remote.example');
    const [e] = await f.core.delivery.queue.claimDue(f.system, { now: Date.now() + 10, limit: 10, leaseMs: 60_000 });
    await f.core.delivery.queue.failed(f.system, e!, { error: '550 5.1.1 <gone@remote.example>: no such user', remoteMta: 'mx.remote.example' });
    const inbox = f.core.messages.list(f.system, f.core.rooms.mailbox(f.core.users.get('alice').usernum, 'inbox').roomnum);
    expect(inbox.length).toBe(1);
    const dsn = f.core.messages.get(f.system, inbox[0]!);
    expect(dsn.bodyStructure).toMatchObject({ type: 'multipart', subtype: 'report', params: { 'report-type': 'delivery-status' } });
    expect(dsn.bodyStructure.parts?.map((p) => `${p.type}/${p.subtype}`)).toEqual(['text/plain', 'message/delivery-status', 'text/rfc822-headers']);
    const text = f.core.messages.raw(f.system, inbox[0]!).toString();
    expect(text).toContain('Status: 5.1.1');
    expect(text).toContain('Remote-MTA: dns; mx.remote.example');
    expect(text).toContain('In-Reply-To: <qgoneremoteexample@x>');
    expect(f.core.delivery.queue.list(f.system)).toEqual([]);
    expect(f.store.dbs.messages.get(msgnum)!.refcount).toBe(1);
  });

  it('does not bounce to the null sender or a remote sender', async () => {
    const m = await f.internals.messages.deliver(f.system, { kind: 'external', raw: raw('nul'), roomnums: [], remote: ['far@remote.example'], sender: '' });
    const [e] = await f.core.delivery.queue.claimDue(f.system, { now: Date.now() + 10, limit: 10, leaseMs: 1000 });
    await f.core.delivery.queue.failed(f.system, e!, { error: '550 no' });
    expect(f.core.delivery.queue.list(f.system)).toEqual([]);
    expect(f.store.dbs.messages.get(m.msgnum)).toMatchObject({ refcount: 0 });
    expect(f.store.dbs.messages.get(m.msgnum)!.deletedAt).toBeGreaterThan(0);
  });

  it('makes entries a previous worker was sending due again', async () => {
    await queued();
    const claimedAt = Date.now() + 10;
    await f.core.delivery.queue.claimDue(f.system, { now: claimedAt, limit: 10, leaseMs: 600_000 });
    expect(await f.core.delivery.queue.reclaim(f.system, claimedAt + 1)).toBe(1);
    expect(await f.core.delivery.queue.claimDue(f.system, { now: claimedAt + 1, limit: 10, leaseMs: 600_000 })).toHaveLength(1);
  });

  it('lets only the system change delivery state and only aides list, retry or delete', async () => {
    const msgnum = await queued();
    await expect(f.core.delivery.queue.claimDue(alice, { now: Date.now(), limit: 1, leaseMs: 1 })).rejects.toMatchObject({ kind: 'forbidden' });
    expect(kindOf(() => f.core.delivery.queue.list(bob))).toBe('forbidden');
    expect(await f.core.delivery.queue.retryNow(f.system)).toBe(1);
    expect(await f.core.delivery.queue.remove(f.system, msgnum)).toBe(1);
    expect(f.core.delivery.queue.list(f.system)).toEqual([]);
  });
});
