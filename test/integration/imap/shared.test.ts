// Rooms as IMAP folders in the shared namespace: visible rooms under "Public/", read-only
// where the user may not post, private rooms hidden; per-user seen state in a shared room;
// subscriptions as the room's zapped state; NAMESPACE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startWithUsers(['alice', 'bob']);
  for (const args of [['room', 'add', 'Announcements', '--read-only'], ['room', 'add', 'Secret', '--kind', 'private-invite']]) {
    const r = await keep.cli(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
});
afterAll(async () => { await keep?.stop(); });

describe('IMAP shared namespace', () => {
  it('lists readable rooms under Public/ and hides private ones', async () => {
    const c = await flow(keep, 'alice');
    const paths = (await c.list()).map((m) => m.path);
    expect(paths).toEqual(expect.arrayContaining(['Public/Lobby', 'Public/Announcements']));
    expect(paths).not.toContain('Public/Secret');
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    expect(await r.cmd('b', 'NAMESPACE')).toContain('* NAMESPACE (("" "/")) NIL (("Public/" "/"))\r\n');
    expect(await r.cmd('c', 'LIST "" "Public/%"')).toMatch(/\* LIST \(\\HasNoChildren\) "\/" Public\/Lobby\r\n/);
    expect(await r.cmd('d', 'LIST "" %')).toMatch(/\* LIST \(\\HasChildren \\Noselect\) "\/" Public\r\n/);
    r.close();
    await c.logout();
  });

  it('opens a room the user may not post in read-only and refuses APPEND there', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    const sel = await r.cmd('b', 'SELECT Public/Announcements');
    expect(sel).toMatch(/\r\nb OK \[READ-ONLY\]/);
    expect(sel).toContain('[PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]');
    const msg = 'Subject: nope\r\n\r\nno\r\n';
    r.sock.write(`d APPEND Public/Announcements {${msg.length}+}\r\n${msg}\r\n`);
    expect(await r.until((b) => /^d /m.test(b))).toMatch(/^d NO \[NOPERM\]/m);
    r.close();
  });

  it('keeps per-user read state in a read-only room: reading marks seen, EXPUNGE is refused', async () => {
    const n = await keep.cli(['room', 'add', 'Bulletins', '--read-only']);
    expect(n.code).toBe(0);
    const admin = await Raw.open(keep.ports.imap);
    await admin.cmd('a', 'LOGIN admin admin-secret');
    const msg = 'Subject: bulletin\r\n\r\nread me\r\n';
    admin.sock.write(`b APPEND Public/Bulletins {${msg.length}+}\r\n${msg}\r\n`);
    expect(await admin.until((b) => /^b /m.test(b))).toMatch(/^b OK \[APPENDUID/m);
    admin.close();
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    await r.cmd('b', 'SELECT Public/Bulletins');
    expect(await r.cmd('c', 'FETCH 1 BODY[TEXT]')).toMatch(/FLAGS \((\\Recent )?\\Seen\)/);
    expect(await r.cmd('d', 'STORE 1 +FLAGS (\\Flagged \\Deleted)')).toMatch(/FLAGS \((\\Recent )?\\Seen \\Flagged \\Deleted\)\)\r\nd OK/);
    expect(await r.cmd('e', 'EXPUNGE')).toMatch(/^e NO \[READ-ONLY\]/m);
    expect(await r.cmd('f', 'STATUS Public/Bulletins (MESSAGES UNSEEN)')).toContain('(MESSAGES 1 UNSEEN 0)');
    r.close();
  });

  it('shares messages in a public room but keeps each user\'s seen state', async () => {
    const a = await flow(keep, 'alice');
    const res = await a.append('Public/Lobby', message('Hello Lobby'));
    expect(res && res.uid).toBeGreaterThan(0);
    await a.mailboxOpen('Public/Lobby');
    await a.messageFlagsAdd(String((res as { uid: number }).uid), ['\\Seen'], { uid: true });
    const b = await flow(keep, 'bob');
    const st = await b.status('Public/Lobby', { messages: true, unseen: true });
    expect(st).toMatchObject({ messages: 1, unseen: 1 });
    const mine = await a.status('Public/Lobby', { unseen: true });
    expect(mine && mine.unseen).toBe(0);
    await a.logout();
    await b.logout();
  });

  it('subscribes and unsubscribes shared folders through the zapped state', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN bob bob-pw');
    expect(await r.cmd('b', 'UNSUBSCRIBE Public/Announcements')).toMatch(/^b OK/m);
    expect(await r.cmd('c', 'LSUB "" *')).not.toContain('Public/Announcements');
    expect(await r.cmd('d', 'SUBSCRIBE Public/Announcements')).toMatch(/^d OK/m);
    expect(await r.cmd('e', 'LSUB "" *')).toContain('Public/Announcements');
    // own folders are subscribed by name (until changed, all of them)
    expect(await r.cmd('f', 'UNSUBSCRIBE INBOX')).toMatch(/^f OK/m);
    expect(await r.cmd('g', 'LSUB "" INBOX')).not.toContain('* LSUB');
    expect(await r.cmd('h', 'SUBSCRIBE INBOX')).toMatch(/^h OK/m);
    expect(await r.cmd('i', 'LSUB "" INBOX')).toContain('* LSUB');
    r.close();
  });
});
