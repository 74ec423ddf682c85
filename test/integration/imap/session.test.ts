// IMAP session basics: greeting, CAPABILITY, NOOP, LOGIN, AUTHENTICATE PLAIN, LOGOUT, STARTTLS
// and the implicit-TLS listener.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['alice']); });
afterAll(async () => { await keep?.stop(); });

describe('IMAP session', () => {
  it('greets with capabilities and answers CAPABILITY and NOOP', async () => {
    const r = await Raw.open(keep.ports.imap);
    expect(r.greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 [^\]]*STARTTLS[^\]]*AUTH=PLAIN\]/);
    const cap = await r.cmd('a1', 'CAPABILITY');
    expect(cap).toMatch(/\* CAPABILITY IMAP4rev1 .*IDLE.*\r\na1 OK/);
    expect(await r.cmd('a2', 'NOOP')).toBe('a2 OK NOOP completed\r\n');
    const bye = await r.cmd('a3', 'LOGOUT');
    expect(bye).toBe('* BYE Logging out\r\na3 OK LOGOUT completed\r\n');
    await r.until(() => r.closed);
  });

  it('logs in with LOGIN and refuses a wrong password with AUTHENTICATIONFAILED', async () => {
    const r = await Raw.open(keep.ports.imap);
    expect(await r.cmd('a1', 'LOGIN alice wrong')).toMatch(/^a1 NO \[AUTHENTICATIONFAILED\]/);
    const ok = await r.cmd('a2', 'LOGIN "alice" "alice-pw"');
    expect(ok).toMatch(/^a2 OK \[CAPABILITY IMAP4rev1 /);
    expect(ok).not.toContain('STARTTLS');
    expect(await r.cmd('a3', 'LOGIN alice alice-pw')).toMatch(/^a3 BAD /);
    r.close();
  });

  it('logs in with AUTHENTICATE PLAIN, with an initial response and with a continuation', async () => {
    const b64 = Buffer.from('\0alice\0alice-pw').toString('base64');
    const r = await Raw.open(keep.ports.imap);
    expect(await r.cmd('a1', `AUTHENTICATE PLAIN ${b64}`)).toMatch(/^a1 OK /);
    r.close();
    const r2 = await Raw.open(keep.ports.imap);
    r2.sock.write('b1 AUTHENTICATE PLAIN\r\n');
    await r2.until((b) => /^\+ /m.test(b));
    r2.buf = '';
    expect(await r2.cmd('b1', Buffer.from(`${b64}\r\n`))).toMatch(/^b1 OK /);
    r2.close();
  });

  it('cancels AUTHENTICATE with * and answers BAD', async () => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write('c1 AUTHENTICATE PLAIN\r\n');
    await r.until((b) => /^\+ /m.test(b));
    r.buf = '';
    expect(await r.cmd('c1', Buffer.from('*\r\n'))).toMatch(/^c1 BAD /);
    expect(await r.cmd('c2', 'NOOP')).toMatch(/^c2 OK/);
    r.close();
  });

  it('works through imapflow with STARTTLS and on the implicit-TLS port', async () => {
    const viaStartTls = await flow(keep, 'alice', { doSTARTTLS: true });
    expect(viaStartTls.secureConnection || (viaStartTls as unknown as { socket: tls.TLSSocket }).socket instanceof tls.TLSSocket).toBe(true);
    const list = await viaStartTls.list();
    expect(list.map((m) => m.path)).toContain('INBOX');
    await viaStartTls.logout();
    const implicit = await flow(keep, 'alice', { secure: true });
    const st = await implicit.status('INBOX', { messages: true });
    expect(st && st.messages).toBe(0);
    await implicit.logout();
  });
});

describe('IMAP passwords without TLS when KEEP_CLEARTEXT_AUTH_ON_LOOPBACK is off', () => {
  let strict: Keep;
  beforeAll(async () => { strict = await startWithUsers(['alice'], { KEEP_CLEARTEXT_AUTH_ON_LOOPBACK: 'false' }); });
  afterAll(async () => { await strict?.stop(); });

  it('advertises LOGINDISABLED, refuses LOGIN and AUTHENTICATE with PRIVACYREQUIRED, and logs in after STARTTLS', async () => {
    const r = await Raw.open(strict.ports.imap);
    expect(r.greeting).toContain('LOGINDISABLED');
    expect(r.greeting).not.toContain('AUTH=PLAIN');
    expect(await r.cmd('a1', 'LOGIN alice alice-pw')).toMatch(/^a1 NO \[PRIVACYREQUIRED\]/);
    expect(await r.cmd('a2', `AUTHENTICATE PLAIN ${Buffer.from('\0alice\0alice-pw').toString('base64')}`)).toMatch(/^a2 NO \[PRIVACYREQUIRED\]/);
    r.close();
    const secured = await flow(strict, 'alice', { doSTARTTLS: true });
    expect((await secured.list()).map((m) => m.path)).toContain('INBOX');
    await secured.logout();
  });
});
