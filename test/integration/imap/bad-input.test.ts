// IMAP bad input and limits: malformed and unknown commands (BAD with the tag), wrong state,
// literals over the limit refused before they are read, overlong lines, random bytes, the
// bad-command and failed-login limits (* BYE), pipelining and both literal forms.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startWithUsers(['alice'], { KEEP_IMAP_MAX_BAD_COMMANDS: '5', KEEP_IMAP_MAX_LINE_LENGTH: '2048', KEEP_MAX_MESSAGE_SIZE: '100000'});
});
afterAll(async () => { await keep?.stop(); });

describe('IMAP bad input', () => {
  it.each([
    ['a1 LOGIN "unterminated', /^a1 BAD Unterminated quoted string/],
    ['a2', /^a2 BAD Missing command/],
    ['(x NOOP', /^\* BAD /],
    ['a3 LOGIN alice  pw', /^a3 BAD /],
    ['a4 FROBNICATE', /^a4 BAD Unknown command FROBNICATE/],
    ['a5 SELECT INBOX', /^a5 BAD SELECT is not valid in this state/],
  ])('answers %j with BAD and keeps the connection', async (line, re) => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write(`${line}\r\n`);
    await r.until((b) => /\r\n$/.test(b) && /BAD/.test(b));
    expect(r.buf).toMatch(re);
    r.buf = '';
    expect(await r.cmd('z', 'NOOP')).toBe('z OK NOOP completed\r\n');
    r.close();
  });

  it('answers FETCH before SELECT with BAD', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    expect(await r.cmd('b', 'FETCH 1 FLAGS')).toMatch(/^b BAD FETCH is not valid in this state/);
    await r.cmd('c', 'SELECT INBOX');
    expect(await r.cmd('d', 'FETCH 1 FLAGS')).toMatch(/^d BAD Message sequence number out of range/);
    expect(await r.cmd('e', 'FETCH 1:* (FLAGS BOGUS)')).toMatch(/^e BAD Unknown FETCH item/);
    r.close();
  });

  it('refuses a synchronising literal over the limit before reading it, and goes on', async () => {
    const r = await Raw.open(keep.ports.imap);
    expect(await r.cmd('a', 'LOGIN alice {5000000}')).toMatch(/^a NO \[TOOBIG\]/);
    expect(r.buf).not.toContain('+');
    expect(await r.cmd('b', 'LOGIN alice alice-pw')).toMatch(/^b OK/);
    expect(await r.cmd('c', 'APPEND INBOX {200000}')).toMatch(/^c NO \[TOOBIG\]/);
    r.close();
  });

  it('closes with BYE on a non-synchronising literal over the limit', async () => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write('a LOGIN alice {5000000+}\r\n');
    expect(await r.closedOrBye()).toMatch(/\* BYE Literal of 5000000 bytes is over the limit/);
  });

  it('closes with BYE on a line over the limit', async () => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write(`a NOOP ${'x'.repeat(3000)}`);
    expect(await r.closedOrBye()).toMatch(/\* BYE Command line too long/);
  });

  it('says BYE after too many bad commands', async () => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write('a BOGUS\r\nb BOGUS\r\nc BOGUS\r\nd BOGUS\r\ne BOGUS\r\nf NOOP\r\n');
    const out = await r.closedOrBye();
    expect(out).toMatch(/e BAD Unknown command BOGUS\r\n\* BYE Too many bad commands/);
    expect(out).not.toContain('f OK');
  });

  it('survives random bytes and keeps serving other clients', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await Raw.open(keep.ports.imap);
      r.sock.write(randomBytes(8192));
      r.sock.write('\r\nz NOOP\r\n');
      try {
        await r.until((b) => b.includes('z OK') || b.includes('* BYE'), 5000);
      } catch (err) {
        if (!r.closed) throw err; // closed cleanly is fine too
      }
      r.close();
    }
    const ok = await Raw.open(keep.ports.imap);
    expect(await ok.cmd('a', 'CAPABILITY')).toMatch(/a OK/);
    ok.close();
  });
});

describe('IMAP framing', () => {
  it('answers pipelined commands in order', async () => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write('p1 NOOP\r\np2 CAPABILITY\r\np3 ID NIL\r\np4 NAMESPACE\r\n');
    const out = await r.until((b) => b.includes('p4 '));
    const order = [...out.matchAll(/^(p\d) (OK|NO|BAD)/gm)].map((m) => m[1]);
    expect(order).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(out).toContain('p4 BAD NAMESPACE is not valid in this state');
    r.close();
  });

  it('reads synchronising literals after "+" and LITERAL+ without one', async () => {
    const r = await Raw.open(keep.ports.imap);
    r.sock.write('a LOGIN {5}\r\n');
    await r.until((b) => /^\+ /m.test(b));
    r.buf = '';
    expect(await r.cmd('a', Buffer.from('alice {8+}\r\nalice-pw\r\n'))).toMatch(/^a OK/);
    const msg = 'Subject: literal\r\n\r\nbody\r\n';
    expect(await r.cmd('b', Buffer.from(`b APPEND INBOX (\\Seen) {${msg.length}+}\r\n${msg}\r\n`))).toMatch(/^b OK \[APPENDUID \d+ \d+\]/);
    r.sock.write(`c APPEND INBOX {${msg.length}}\r\n`);
    await r.until((b) => /^\+ /m.test(b));
    r.buf = '';
    expect(await r.cmd('c', Buffer.from(`${msg}\r\n`))).toMatch(/^c OK \[APPENDUID/);
    await r.cmd('d', 'SELECT INBOX');
    expect(await r.cmd('e', 'FETCH 1:* (FLAGS RFC822.SIZE)')).toMatch(/\* 1 FETCH \(FLAGS \(\\Recent \\Seen\) RFC822\.SIZE 26\)/);
    r.close();
  });
});

describe('IMAP autologout and login throttle', () => {
  let quick: Keep;
  beforeAll(async () => { quick = await startWithUsers(['alice'], { KEEP_IMAP_IDLE_TIMEOUT: '1', KEEP_AUTH_FAILURE_LIMIT: '3' }); });
  afterAll(async () => { await quick?.stop(); });

  it('says BYE after too many failed logins, and core throttles the account', async () => {
    const r = await Raw.open(quick.ports.imap);
    expect(await r.cmd('a', 'LOGIN alice nope')).toMatch(/^a NO \[AUTHENTICATIONFAILED\]/);
    expect(await r.cmd('b', 'LOGIN alice nope')).toMatch(/^b NO \[AUTHENTICATIONFAILED\]/);
    r.sock.write('c LOGIN alice nope\r\n');
    expect(await r.closedOrBye()).toMatch(/c NO \[AUTHENTICATIONFAILED\][^\r]*\r\n\* BYE Too many failed logins/);
    const r2 = await Raw.open(quick.ports.imap);
    expect(await r2.cmd('a', 'LOGIN alice alice-pw')).toMatch(/^a NO \[LIMIT\]/);
    r2.close();
  });

  it('says BYE to a silent session after the idle timeout', async () => {
    const r = await Raw.open(quick.ports.imap);
    const started = Date.now();
    expect(await r.closedOrBye()).toMatch(/\* BYE Autologout/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('says BYE to connected clients when the server shuts down', async () => {
    const r = await Raw.open(quick.ports.imap);
    const stopped = quick.stop();
    expect(await r.closedOrBye()).toMatch(/\* BYE Server shutting down/);
    expect(await stopped).toBe(0);
  });
});
