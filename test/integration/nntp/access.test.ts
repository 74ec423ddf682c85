// NNTP authentication (RFC 4643), STARTTLS (RFC 4642) and who sees which groups: anonymous
// reading is off by default (480); private rooms only for invited users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { connect, postText, startNntpKeep, withCore } from './fixture.ts';
import { NntpClient } from './nntp-client.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startNntpKeep();
  await postText(keep, 'Secret Room', [{ subject: 'hush', text: 'secret' }]);
});
afterAll(async () => { await keep?.stop(); });

describe('NNTP AUTHINFO', () => {
  it('accepts USER then PASS with 381 and 281', async () => {
    const c = await connect(keep);
    expect((await c.cmd('AUTHINFO USER alice')).code).toBe(381);
    expect((await c.cmd('AUTHINFO PASS alice-pw')).code).toBe(281);
    c.close();
  });

  it('answers a wrong password with 481 and PASS without USER with 482', async () => {
    const c = await connect(keep);
    expect((await c.cmd('AUTHINFO PASS whatever')).code).toBe(482);
    await c.cmd('AUTHINFO USER bob');
    expect((await c.cmd('AUTHINFO PASS wrong')).code).toBe(481);
    expect((await c.cmd('AUTHINFO PASS bob-pw')).code).toBe(482); // the USER was used up
    c.close();
  });

  it('answers AUTHINFO after logging in with 502', async () => {
    const c = await connect(keep, 'alice');
    expect((await c.cmd('AUTHINFO USER alice')).code).toBe(502);
    c.close();
  });
});

describe('NNTP access', () => {
  it('answers reading commands with 480 before login when anonymous reading is off (the default)', async () => {
    const c = await connect(keep);
    for (const cmd of ['LIST', 'LIST ACTIVE', 'LIST NEWSGROUPS', 'GROUP keep.main-floor.lobby', 'LISTGROUP keep.main-floor.lobby', 'ARTICLE <x@y>', 'OVER 1-', 'HDR Subject 1-', 'NEWGROUPS 20000101 000000', 'NEWNEWS * 20000101 000000', 'NEXT', 'STAT 1']) {
      expect((await c.cmd(cmd)).code, cmd).toBe(480);
    }
    expect((await c.cmd('LIST OVERVIEW.FMT')).code).toBe(215);
    c.close();
  });

  it('shows a private room only to users invited to it', async () => {
    const bob = await connect(keep, 'bob');
    expect((await bob.cmd('LIST ACTIVE')).lines.some((l) => l.includes('secret-room'))).toBe(false);
    expect((await bob.cmd('GROUP keep.main-floor.secret-room')).code).toBe(411);
    bob.close();
    const admin = await connect(keep);
    await admin.login('admin', keep.adminPassword);
    expect((await admin.cmd('LIST ACTIVE')).lines.some((l) => l.startsWith('keep.main-floor.secret-room '))).toBe(true);
    expect((await admin.cmd('GROUP keep.main-floor.secret-room')).code).toBe(211);
    admin.close();
  });

  it('hides an article in a private room from a message-id lookup by others (430)', async () => {
    const id = await withCore(keep, async (core) => {
      const system = { kind: 'system', name: 'test', origin: 'test' } as const;
      const room = core.rooms.findByName(system, 'Secret Room')!;
      return core.messages.get(system, core.messages.list(system, room.roomnum)[0]!).messageId;
    });
    const bob = await connect(keep, 'bob');
    expect((await bob.cmd(`STAT ${id}`)).code).toBe(430);
    bob.close();
  });
});

describe('NNTP STARTTLS', () => {
  it('answers 382, negotiates TLS, and goes on over TLS without offering STARTTLS again', async () => {
    const c = await NntpClient.connect(keep.ports.nntp);
    expect((await c.startTls()).code).toBe(382);
    const caps = await c.cmd('CAPABILITIES');
    expect(caps.code).toBe(101);
    expect(caps.lines).not.toContain('STARTTLS');
    expect(caps.lines).toContain('AUTHINFO USER');
    await c.login('alice', 'alice-pw');
    expect((await c.cmd('GROUP keep.main-floor.lobby')).code).toBe(211);
    expect((await c.cmd('STARTTLS')).code).toBe(502);
    c.close();
  });

  it('refuses STARTTLS after authentication with 502', async () => {
    const c = await connect(keep, 'alice');
    expect((await c.cmd('STARTTLS')).code).toBe(502);
    c.close();
  });
});

describe('NNTP passwords without TLS when KEEP_CLEARTEXT_AUTH_ON_LOOPBACK is off', () => {
  let strict: Keep;
  beforeAll(async () => { strict = await startNntpKeep({ KEEP_CLEARTEXT_AUTH_ON_LOOPBACK: 'false' }); });
  afterAll(async () => { await strict?.stop(); });

  it('advertises AUTHINFO without USER and answers 483 until STARTTLS, then logs in', async () => {
    const c = await NntpClient.connect(strict.ports.nntp);
    const caps = (await c.cmd('CAPABILITIES')).lines;
    expect(caps).toContain('AUTHINFO');
    expect(caps).not.toContain('AUTHINFO USER');
    expect((await c.cmd('AUTHINFO USER alice')).code).toBe(483);
    expect((await c.cmd('AUTHINFO PASS alice-pw')).code).toBe(483);
    expect((await c.startTls()).code).toBe(382);
    expect((await c.cmd('CAPABILITIES')).lines).toContain('AUTHINFO USER');
    await c.login('alice', 'alice-pw');
    expect((await c.cmd('GROUP keep.main-floor.lobby')).code).toBe(211);
    c.close();
  });
});

describe('NNTP anonymous reading when configured', () => {
  let open: Keep;
  beforeAll(async () => {
    open = await startNntpKeep({ KEEP_NNTP_ANONYMOUS_READ: 'true', KEEP_AUTH_FAILURE_LIMIT: '3' });
    await postText(open, 'Lobby', [{ subject: 'public words', text: 'hello world' }]);
  });
  afterAll(async () => { await open?.stop(); });

  it('lets a client that is not logged in read public rooms, and nothing else', async () => {
    const c = await connect(open);
    const groups = (await c.cmd('LIST ACTIVE')).lines.map((l) => l.split(' ')[0]);
    expect(groups).toEqual(['keep.main-floor.kitchen', 'keep.main-floor.lobby', 'keep.main-floor.news']);
    expect((await c.cmd('LIST ACTIVE')).lines.every((l) => l.endsWith(' n'))).toBe(true);
    expect((await c.cmd('GROUP keep.main-floor.lobby')).code).toBe(211);
    expect((await c.cmd('ARTICLE')).lines).toContain('hello world');
    expect((await c.cmd('GROUP keep.main-floor.secret-room')).code).toBe(411);
    expect((await c.cmd('POST')).code).toBe(480);
    c.close();
  });

  it('throttles repeated failures for an account: even the right password gets 481 for a while', async () => {
    const c = await connect(open); // this server's throttle, so the other tests' logins are not locked out
    for (let i = 0; i < 3; i++) {
      await c.cmd('AUTHINFO USER newbie');
      expect((await c.cmd('AUTHINFO PASS nope')).code).toBe(481);
    }
    await c.cmd('AUTHINFO USER newbie');
    const r = await c.cmd('AUTHINFO PASS newbie-pw');
    expect(r.code).toBe(481);
    expect(r.text).toMatch(/too many/i);
    c.close();
  });
});
