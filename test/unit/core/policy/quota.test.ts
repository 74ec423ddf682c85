// The mailbox quota: usage is the bytes of every placement in a user's own live mailbox rooms,
// kept in step by placing, copying, moving and removing, summed afresh for a room stored without
// a sum, and checked before a message lands (over-quota), never for rooms others read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../../src/store/index.ts';
import { createCoreWithInternals, systemActor, type Actor, type Core } from '../../../../src/core/index.ts';
import { roomBytesKey } from '../../../../src/core/messages/place.ts';
import { actorOf } from '../../../helpers/core-fixture.ts';

let dir: string;
let store: Store;
let core: Core;
let alice: Actor & { kind: 'user' };
const LIMIT = 10_000;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keep-quota-'));
  store = Store.open({ dataDir: dir });
  core = createCoreWithInternals({
    store, log: pino({ level: 'silent' }),
    settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, quotaBytes: LIMIT, newUserLevel: 3, softDeleteMs: 1000 },
  }).core;
  await core.seed({ name: 'admin', password: 'admin-secret' });
  alice = actorOf(await core.users.create(systemActor('test'), { name: 'alice', password: 'alice-pw' })) as Actor & { kind: 'user' };
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const msg = (n: number) => Buffer.from(`Subject: s\r\n\r\n${'x'.repeat(n - 16)}\r\n`);
const inbox = () => core.rooms.mailbox(alice.usernum, 'inbox').roomnum;

describe('quota', () => {
  it('counts each placement in the own mailboxes and follows copy, move and removal', async () => {
    const [m] = await core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(1000) }] });
    expect(core.quota.usage(alice)).toEqual({ bytes: 1000, limit: LIMIT });
    const archive = await core.rooms.create(alice, { name: 'Archive', kind: 'mailbox' });
    await core.messages.copy(alice, inbox(), archive.roomnum, [m!.msgnum]);
    expect(core.quota.usage(alice).bytes).toBe(2000);
    await core.messages.copy(alice, archive.roomnum, core.rooms.mailbox(alice.usernum, 'trash').roomnum, core.messages.list(alice, archive.roomnum), { isMove: true });
    expect(core.quota.usage(alice).bytes).toBe(2000);
    await core.messages.removeFromRoom(alice, inbox(), [m!.msgnum]);
    expect(core.quota.usage(alice).bytes).toBe(1000);
  });

  it('sums a room stored without a sum from its room list', async () => {
    await core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(700) }, { raw: msg(300) }] });
    await store.write(() => { store.dbs.meta.removeSync(roomBytesKey(inbox())); });
    expect(core.quota.usage(alice).bytes).toBe(1000);
    await core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(500) }] });
    expect(store.dbs.meta.get(roomBytesKey(inbox()))).toBe(1500);
  });

  it('refuses a message that would go past the limit with over-quota, and stores none of an APPEND then', async () => {
    await core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(6000) }] });
    await expect(core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(2000) }, { raw: msg(2001) }] })).rejects.toMatchObject({ kind: 'over-quota' });
    expect(core.messages.list(alice, inbox()).length).toBe(1);
    expect(() => core.quota.checkNotFull(alice.usernum)).not.toThrow();
    await core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(4000) }] });
    expect(() => core.quota.checkNotFull(alice.usernum)).toThrow(/full/);
  });

  it('does not count rooms others read, nor a deleted folder', async () => {
    const lobby = core.rooms.findByName(alice, 'Lobby')!.roomnum;
    await core.messages.post(alice, { roomnum: lobby, text: 'x'.repeat(20_000) });
    const old = await core.rooms.create(alice, { name: 'Old', kind: 'mailbox' });
    await core.messages.append(alice, { roomnum: old.roomnum, messages: [{ raw: msg(5000) }] });
    expect(core.quota.usage(alice).bytes).toBe(5000);
    await core.rooms.remove(alice, old.roomnum);
    expect(core.quota.usage(alice).bytes).toBe(0);
  });

  it('lets no two messages stored at once both slip under the quota (the check is made in the write)', async () => {
    const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err: { kind?: string }) => err.kind ?? 'error');
    const appends = Array.from({ length: 3 }, () => outcome(core.messages.append(alice, { roomnum: inbox(), messages: [{ raw: msg(LIMIT * 0.4) }] })));
    const posts = Array.from({ length: 2 }, () => outcome(core.messages.post(alice, { roomnum: inbox(), text: 'y'.repeat(LIMIT * 0.4) })));
    const results = await Promise.all([...appends, ...posts]);
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    expect(results.filter((r) => r === 'over-quota')).toHaveLength(3);
    expect(core.quota.usage(alice).bytes).toBeLessThanOrEqual(LIMIT);
  });

  describe('native mail', () => {
    let bob: Actor & { kind: 'user' };
    let carol: Actor & { kind: 'user' };
    beforeEach(async () => {
      bob = actorOf(await core.users.create(systemActor('test'), { name: 'bob', password: 'bob-pw' })) as Actor & { kind: 'user' };
      carol = actorOf(await core.users.create(systemActor('test'), { name: 'carol', password: 'carol-pw' })) as Actor & { kind: 'user' };
    });
    const fill = (who: Actor & { kind: 'user' }, n: number) => core.messages.append(who, { roomnum: core.rooms.mailbox(who.usernum, 'inbox').roomnum, messages: [{ raw: msg(n) }] });
    const sentOf = (who: Actor & { kind: 'user' }) => core.messages.list(who, core.rooms.mailbox(who.usernum, 'sent').roomnum);

    it('refuses mail to one recipient it would take past their quota, though the sender\'s Sent has room', async () => {
      await fill(bob, LIMIT - 2000);
      await expect(core.messages.mail(alice, { to: ['bob'], text: 'z'.repeat(3000) })).rejects.toMatchObject({ kind: 'over-quota', message: expect.stringMatching(/bob/) });
      expect(core.quota.usage(bob).bytes).toBe(LIMIT - 2000);
      expect(sentOf(alice)).toHaveLength(0);
    });

    it('counts the Sent copy against the sender alone', async () => {
      await fill(alice, LIMIT - 2000);
      await expect(core.messages.mail(alice, { to: ['bob'], text: 'z'.repeat(3000) })).rejects.toMatchObject({ kind: 'over-quota', message: expect.stringMatching(/alice/) });
      expect(core.quota.usage(bob).bytes).toBe(0);
      // a nearly full recipient is no reason to refuse, nor a sender's copy that fits
      await fill(bob, LIMIT - 2000);
      const m = await core.messages.mail(alice, { to: ['bob'], text: 'z'.repeat(1000) });
      expect(core.quota.usage(bob).bytes).toBe(LIMIT - 2000 + m.size);
      expect(core.quota.usage(alice).bytes).toBe(LIMIT - 2000 + m.size);
    });

    it('counts mail to oneself in both Inbox and Sent', async () => {
      await fill(alice, LIMIT - 5000);
      await expect(core.messages.mail(alice, { to: ['alice'], text: 'z'.repeat(3000) })).rejects.toMatchObject({ kind: 'over-quota' });
      expect(core.quota.usage(alice).bytes).toBe(LIMIT - 5000);
    });

    it('still brings mail for several recipients to those with room when one mailbox is full', async () => {
      await fill(bob, LIMIT - 1000);
      const m = await core.messages.mail(alice, { to: ['bob', 'carol'], text: 'z'.repeat(3000) });
      expect(core.quota.usage(carol).bytes).toBe(m.size);
      expect(sentOf(alice)).toHaveLength(1);
      await fill(carol, LIMIT - 1000 - m.size);
      await expect(core.messages.mail(alice, { to: ['bob', 'carol'], text: 'z'.repeat(3000) })).rejects.toMatchObject({ kind: 'over-quota' });
    });

    it("lets a sender's own Inbox copy, as one recipient among others, go past the limit without costing the others theirs", async () => {
      // room for the Sent copy, not for the Inbox copy as well
      await fill(alice, LIMIT - 5000);
      const m = await core.messages.mail(alice, { to: ['alice', 'bob'], text: 'z'.repeat(3000) });
      expect(core.quota.usage(bob).bytes).toBe(m.size);
      expect(sentOf(alice)).toHaveLength(1);
    });

    it('treats submission\'s Sent copy (KEEP_SUBMISSION_SAVE_SENT) as the sender\'s own, not as one more recipient', async () => {
      await fill(bob, LIMIT - 2000);
      const raw = Buffer.from(`From: alice@keep.test\r\nTo: bob@keep.test\r\nSubject: s\r\n\r\n${'z'.repeat(3000)}\r\n`);
      const env = { raw, sender: 'alice@keep.test', recipients: [{ kind: 'user' as const, usernum: bob.usernum, address: 'bob@keep.test' }] };
      await expect(core.delivery.submit(alice, env, { saveSent: true })).rejects.toMatchObject({ kind: 'over-quota', message: expect.stringMatching(/bob/) });
      expect(core.quota.usage(bob).bytes).toBe(LIMIT - 2000);
      expect(sentOf(alice)).toHaveLength(0);
    });

    it('counts a recipient named twice (by name and by address) once', async () => {
      await fill(bob, LIMIT - 5000);
      const m = await core.messages.mail(alice, { to: ['bob', 'bob@keep.test'], text: 'z'.repeat(3000) });
      expect(core.quota.usage(bob).bytes).toBe(LIMIT - 5000 + m.size);
    });
  });
});
