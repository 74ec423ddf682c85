import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';
import { CoreError } from '../../../src/core/index.ts';

let f: Fixture;
beforeEach(async () => { f = await coreFixture(); });
afterEach(async () => { await f.close(); });

const kindOf = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof CoreError) return err.kind;
    throw err;
  }
  return 'ok';
};

describe('users', () => {
  it('authenticates with the right password and refuses a wrong one', async () => {
    await f.user('Alice');
    const { user } = await f.core.users.authenticate({ name: 'alice', password: 'Alice-pw', origin: 'test:1.2.3.4' });
    expect(user.name).toBe('Alice');
    expect(await kindOf(f.core.users.authenticate({ name: 'Alice', password: 'nope', origin: 'test:1.2.3.5' }))).toBe('bad-credentials');
  });

  it('throttles repeated failures per account', async () => {
    await f.user('Bob');
    for (let i = 0; i < 3; i++) await kindOf(f.core.users.authenticate({ name: 'Bob', password: 'x', origin: `t:10.0.0.${i}` }));
    expect(await kindOf(f.core.users.authenticate({ name: 'Bob', password: 'Bob-pw', origin: 't:10.0.0.9' }))).toBe('limit');
  });

  it('refuses duplicate names and bad names', async () => {
    await f.user('Carol');
    expect(await kindOf(f.user('carol'))).toBe('exists');
    expect(await kindOf(f.user('a|b'))).toBe('invalid');
  });

  it('lets only aides create users or set levels, and audits it', async () => {
    const { actor } = await f.user('Dave');
    expect(await kindOf(f.core.users.create(actor, { name: 'Eve', password: 'x' }))).toBe('forbidden');
    expect(await kindOf(f.core.users.setLevel(actor, 1, 6))).toBe('forbidden');
    const actions = f.core.audit.list(f.system).map((e) => e.action);
    expect(actions).toContain('user.create');
  });

  it('gives every user a Mail mailbox', async () => {
    const { user, actor } = await f.user('Fay');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox');
    expect(inbox.name).toBe('Mail');
    const { room } = await f.core.rooms.enter(actor, '_MAIL_');
    expect(room.roomnum).toBe(inbox.roomnum);
  });
});

describe('rooms and access', () => {
  it('hides another user\'s mailbox', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    const annMail = f.core.rooms.mailbox(a.user.usernum, 'inbox');
    expect(await kindOf(() => f.core.messages.list(b.actor, annMail.roomnum))).toBe('not-found');
    expect(await kindOf(() => f.core.rooms.get(b.actor, annMail.roomnum))).toBe('not-found');
  });

  it('hides a private room until invited', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    const room = await f.core.rooms.create(a.actor, { name: 'Secret', kind: 'private-invite' });
    expect(await kindOf(f.core.rooms.enter(b.actor, 'Secret'))).toBe('not-found');
    await f.core.rooms.setInvited(a.actor, room.roomnum, b.user.usernum, true);
    expect((await f.core.rooms.enter(b.actor, 'Secret')).room.name).toBe('Secret');
  });

  it('tells a message\'s placement in a private room only to those who may read it', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    const room = await f.core.rooms.create(a.actor, { name: 'Secret', kind: 'private-invite' });
    const m = await f.core.messages.post(a.actor, { roomnum: room.roomnum, text: 'plans', subject: 'Plans' });
    expect(f.core.messages.placement(a.actor, room.roomnum, m.msgnum)?.uid).toBe(1);
    expect(f.core.messages.placement(b.actor, room.roomnum, m.msgnum)).toBeUndefined();
  });

  it('asks for the password of a passworded room and remembers it', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    await f.core.rooms.create(a.actor, { name: 'Vault', kind: 'private-password', password: 'open' });
    expect(await kindOf(f.core.rooms.enter(b.actor, 'Vault'))).toBe('bad-credentials');
    expect(await kindOf(f.core.rooms.enter(b.actor, 'Vault', 'wrong'))).toBe('bad-credentials');
    await f.core.rooms.enter(b.actor, 'Vault', 'open');
    expect((await f.core.rooms.enter(b.actor, 'Vault')).room.name).toBe('Vault');
  });

  it('lists known rooms with new messages and zapped rooms', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    const room = await f.core.rooms.create(a.actor, { name: 'Kitchen', kind: 'public' });
    await f.core.messages.post(a.actor, { roomnum: room.roomnum, text: 'soup', subject: 'Soup' });
    expect(f.core.rooms.list(b.actor, 'new').map((l) => l.room.name)).toContain('Kitchen');
    await f.core.rooms.setZapped(b.actor, room.roomnum, true);
    expect(f.core.rooms.list(b.actor, 'known').map((l) => l.room.name)).not.toContain('Kitchen');
    expect(f.core.rooms.list(b.actor, 'zapped').map((l) => l.room.name)).toContain('Kitchen');
  });

  it('lets a new (unvalidated) user post in a public room, but not in a read-only one', async () => {
    const a = await f.user('Newbie', 1);
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    expect((await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'hi' })).authorName).toBe('Newbie');
    const notices = await f.core.rooms.create(f.system, { name: 'Notices', kind: 'public', isReadOnly: true });
    expect(await kindOf(f.core.messages.post(a.actor, { roomnum: notices.roomnum, text: 'hi' }))).toBe('forbidden');
  });
});

describe('messages', () => {
  it('stores mail once with one placement per recipient and the sender\'s copy', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    const c = await f.user('Cid');
    const m = await f.core.messages.mail(a.actor, { to: ['Ben', 'cid@keep.test'], subject: 'Hi', text: 'hello' });
    expect(f.core.messages.list(b.actor, f.core.rooms.mailbox(b.user.usernum, 'inbox').roomnum)).toEqual([m.msgnum]);
    expect(f.core.messages.list(c.actor, f.core.rooms.mailbox(c.user.usernum, 'inbox').roomnum)).toEqual([m.msgnum]);
    expect(f.core.messages.list(a.actor, f.core.rooms.mailbox(a.user.usernum, 'sent').roomnum)).toEqual([m.msgnum]);
    expect(f.store.dbs.messages.get(m.msgnum)!.refcount).toBe(3);
    expect(f.core.check.run().problems).toEqual([]);
  });

  it('keeps NEW and OLD apart by the shared seen set, and SLRP never un-reads', async () => {
    const a = await f.user('Ann');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const m1 = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'one' });
    const m2 = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'two' });
    expect(f.core.messages.list(a.actor, lobby.roomnum, { kind: 'new' })).toEqual([m1.msgnum, m2.msgnum]);
    await f.core.visits.setFlag(a.actor, lobby.roomnum, [m2.msgnum], 'seen', true);
    await f.core.visits.setLastSeen(a.actor, lobby.roomnum, m1.msgnum);
    expect(f.core.messages.list(a.actor, lobby.roomnum, { kind: 'new' })).toEqual([]);
    expect(f.core.messages.list(a.actor, lobby.roomnum, { kind: 'last', n: 1 })).toEqual([m2.msgnum]);
  });

  it('gives back a text post\'s text as posted, from its one stored rendering', async () => {
    const a = await f.user('Ann');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const m = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, subject: 'Grüße', text: 'first line\nzweite Zeile: ä\n\nlast' });
    expect(f.core.messages.text(a.actor, m.msgnum)).toBe('first line\nzweite Zeile: ä\n\nlast');
    const raw = f.core.messages.raw(a.actor, m.msgnum).toString('utf8');
    expect(raw).toContain('\r\n\r\nfirst line\r\nzweite Zeile: ä\r\n\r\nlast\r\n');
    expect(m.size).toBe(Buffer.byteLength(raw));
  });

  it('ingests raw RFC 5322 with envelope and body structure', async () => {
    const a = await f.user('Ann');
    const inbox = f.core.rooms.mailbox(a.user.usernum, 'inbox').roomnum;
    const raw = Buffer.from('From: X <x@example.org>\r\nTo: ann@keep.test\r\nSubject: Test\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <abc@example.org>\r\n\r\nBody line\r\n');
    const m = await f.internals.messages.deliver(f.system, { kind: 'external', raw, roomnums: [inbox] });
    expect(m.subject).toBe('Test');
    expect(m.envelope.from[0]!.address).toBe('x@example.org');
    expect(f.core.messages.raw(a.actor, m.msgnum).equals(raw)).toBe(true);
    expect(f.core.messages.text(a.actor, m.msgnum)).toContain('Body line');
    expect(f.core.messages.findByMessageId(a.actor, '<abc@example.org>')?.msgnum).toBe(m.msgnum);
  });

  it('removes a message with its last placement and purges it after the window', async () => {
    const a = await f.user('Ann');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const m = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'bye' });
    expect(await f.core.messages.removeFromRoom(a.actor, lobby.roomnum, [m.msgnum])).toBe(1);
    expect(await kindOf(() => f.core.messages.get(a.actor, m.msgnum))).toBe('not-found');
    expect(f.core.check.run().problems).toEqual([]);
    expect(await f.core.messages.purge(f.system, Date.now() + 2000)).toBe(1);
    expect(f.store.dbs.messages.get(m.msgnum)).toBeUndefined();
  });

  it('finds every message due for purging when it scans the store in small chunks', async () => {
    const a = await f.user('Ann');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const posted = [];
    for (let i = 0; i < 9; i++) posted.push(await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: `m${i}` }));
    const gone = posted.filter((_, i) => i % 2 === 0).map((m) => m.msgnum);
    expect(await f.core.messages.removeFromRoom(a.actor, lobby.roomnum, gone)).toBe(gone.length);
    expect(await f.core.messages.purge(f.system, Date.now() + 2000, 2)).toBe(gone.length);
    for (const n of gone) expect(f.store.dbs.messages.get(n)).toBeUndefined();
    for (const m of posted.filter((p) => !gone.includes(p.msgnum))) expect(f.store.dbs.messages.get(m.msgnum)).toBeDefined();
  });

  it('refuses deleting another user\'s post without room-aide rights', async () => {
    const a = await f.user('Ann');
    const b = await f.user('Ben');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const m = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'mine' });
    expect(await kindOf(f.core.messages.removeFromRoom(b.actor, lobby.roomnum, [m.msgnum]))).toBe('forbidden');
  });

  it('finds broken invariants and repairs them', async () => {
    const a = await f.user('Ann');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const m = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'x' });
    await f.store.write(() => f.store.dbs.roomLists.putSync([lobby.roomnum, 99999], { arrived: 0, modseq: 0 }));
    await f.store.write(() => f.store.dbs.messages.putSync(m.msgnum, { ...f.store.dbs.messages.get(m.msgnum)!, refcount: 5 }));
    const kinds = f.core.check.run().problems.map((p) => p.kind).sort();
    expect(kinds).toEqual(['counter', 'placement-without-message', 'refcount', 'room-count']);
    await f.core.check.repair(f.system);
    expect(f.core.check.run().problems).toEqual([]);
  });

  it('finds a mailbox room whose byte sum (for quotas) is wrong and drops it to be summed afresh', async () => {
    const a = await f.user('Ann');
    const inbox = f.core.rooms.mailbox(a.user.usernum, 'inbox').roomnum;
    await f.core.messages.append(a.actor, { roomnum: inbox, messages: [{ raw: Buffer.from('Subject: s\r\n\r\nbody\r\n') }] });
    await f.store.write(() => f.store.dbs.meta.putSync(`roomBytes/${inbox}`, 1));
    expect(f.core.check.run().problems.map((p) => p.kind)).toEqual(['room-bytes']);
    await f.core.check.repair(f.system);
    expect(f.core.check.run().problems).toEqual([]);
    expect(f.core.quota.usage(a.actor).bytes).toBe(20);
  });
});
