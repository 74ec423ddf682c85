// IMAP IDLE and multi-session updates: two sessions on one folder see each other's changes;
// mail from the native protocol is pushed to an idling client; read state is shared with
// core's visit record (native SLRP, core visits seen set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import type { Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { coreOn } from '../../helpers/core-fixture.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['alice', 'bob']); });
afterAll(async () => { await keep?.stop(); });

/** Resolve with the first event of a kind, or fail after a bounded wait. */
function next<T>(c: ImapFlow, event: string, timeoutMs = 1000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    c.once(event, (e: T) => { clearTimeout(t); resolve(e); });
  });
}

describe('IMAP IDLE across sessions', () => {
  let a: ImapFlow;
  let b: ImapFlow;
  beforeAll(async () => {
    a = await flow(keep, 'alice');
    b = await flow(keep, 'alice');
    await a.mailboxOpen('INBOX');
    await b.mailboxOpen('INBOX');
  });
  afterAll(async () => {
    await a?.logout().catch(() => undefined);
    await b?.logout().catch(() => undefined);
  });

  it('pushes EXISTS to an idling session when another session appends', async () => {
    const idle = a.idle();
    const exists = next<{ count: number }>(a, 'exists');
    await b.append('INBOX', message('Pushed one'));
    expect((await exists).count).toBe(1);
    await b.noop();
    expect((b.mailbox as { exists: number }).exists).toBe(1);
    await a.noop(); // ends IDLE
    await idle;
  });

  it('pushes FETCH FLAGS when another session stores flags', async () => {
    const idle = a.idle();
    const flags = next<{ seq: number; flags: Set<string> }>(a, 'flags');
    await b.messageFlagsAdd('1', ['\\Flagged']);
    const e = await flags;
    expect(e.seq).toBe(1);
    expect([...e.flags]).toContain('\\Flagged');
    await a.noop();
    await idle;
  });

  it('pushes EXPUNGE when another session expunges', async () => {
    await b.append('INBOX', message('Doomed'));
    await a.noop();
    const idle = a.idle();
    const gone = next<{ seq: number }>(a, 'expunge');
    await b.messageDelete('2');
    expect((await gone).seq).toBe(2);
    await a.noop();
    await idle;
  });

  it('holds EXPUNGE back during FETCH and reports it after NOOP', async () => {
    await b.append('INBOX', message('Held back'));
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    await r.cmd('b', 'SELECT INBOX');
    await b.messageDelete('2');
    const fetch = await r.cmd('c', 'FETCH 1:* (UID)');
    expect(fetch).not.toMatch(/\* \d+ EXPUNGE/);
    expect(await r.cmd('d', 'NOOP')).toMatch(/^\* 2 EXPUNGE\r\nd OK/);
    r.close();
  });
});

describe('IMAP and the native protocol share mail and read state', () => {
  it('pushes mail sent natively to an idling client within a second and shares \\Seen both ways', async () => {
    const a = await flow(keep, 'alice');
    await a.mailboxOpen('INBOX');
    const before = (a.mailbox as { exists: number }).exists;
    const idle = a.idle();
    const exists = next<{ count: number }>(a, 'exists', 1000);
    const n = await NativeClient.connect(keep.ports.native);
    await n.login('bob', 'bob-pw');
    expect((await n.cmd('ENT0 1|alice|0|1|From native|||||||||')).code).toBe(400);
    n.sendListing(['Hello from the native side.']);
    expect((await exists).count).toBe(before + 1);
    await a.noop();
    await idle;

    // IMAP marks it seen → the visit record in core says seen
    const msg = await a.fetchOne('*', { uid: true, envelope: true, source: true });
    expect(msg && msg.envelope!.subject).toBe('From native');
    const uid = (msg as { uid: number }).uid;
    await a.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    const { core, close } = coreOn(keep.dataDir);
    try {
      const alice = core.users.get('alice');
      const inbox = core.rooms.mailbox(alice.usernum, 'inbox');
      expect(core.visits.get(alice.usernum, inbox.roomnum).seen.some(([x, y]) => x <= uid && uid <= y)).toBe(true);
    } finally {
      await close();
    }

    // native SLRP marks everything read → the idling IMAP session hears FLAGS
    await a.messageFlagsRemove('1:*', ['\\Seen']);
    const idle2 = a.idle();
    const flags = next<{ flags: Set<string> }>(a, 'flags', 1000);
    const n2 = await NativeClient.connect(keep.ports.native);
    await n2.login('alice', 'alice-pw');
    expect((await n2.cmd('GOTO _MAIL_|')).code).toBe(200);
    expect((await n2.cmd('SLRP HIGHEST')).code).toBe(200);
    expect([...(await flags).flags]).toContain('\\Seen');
    await a.noop();
    await idle2;
    n.close();
    n2.close();
    await a.logout();
  });
});
