// SMTP with garbage and edge cases over a raw socket: the EHLO extensions, malformed addresses,
// a header-less message, lines over 998 octets, broken MIME, pipelining, a client dropping
// mid-DATA — a clear reply or a closed connection, nothing half-stored, the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { RawSmtp } from './raw-smtp.ts';

let k: MailKeep;
beforeAll(async () => { k = await startMailKeep(); });
afterAll(async () => { await k?.stop(); });

async function session(): Promise<RawSmtp> {
  const c = await RawSmtp.connect(k.keep.ports.smtp);
  expect((await c.cmd('EHLO client.example')).code).toBe(250);
  return c;
}

async function send(c: RawSmtp, to: string, data: string): Promise<number> {
  expect((await c.cmd('MAIL FROM:<x@remote.example>')).code).toBe(250);
  expect((await c.cmd(`RCPT TO:<${to}>`)).code).toBe(250);
  expect((await c.cmd('DATA')).code).toBe(354);
  c.write(`${data}\r\n.\r\n`);
  return (await c.reply()).code;
}

describe('SMTP MX with bad input', () => {
  it('advertises SIZE (the limit less room for our headers), 8BITMIME, PIPELINING, SMTPUTF8, STARTTLS and no AUTH on EHLO', async () => {
    const c = await RawSmtp.connect(k.keep.ports.smtp);
    const ehlo = await c.cmd('EHLO client.example');
    const ext = ehlo.lines.map((l) => l.slice(4));
    expect(ext).toEqual(expect.arrayContaining(['PIPELINING', '8BITMIME', 'SMTPUTF8', 'STARTTLS', `SIZE ${63 * 1024}`]));
    expect(ext.some((e) => e.startsWith('AUTH'))).toBe(false);
    c.close();
  });

  it.each([
    ['MAIL FROM:<not an address>', 501],
    ['MAIL FROM:<a@@remote.example>', 501],
    ['MAIL FROM:missing-brackets@remote.example', 501],
  ])('answers %s with %i', async (line, code) => {
    const c = await session();
    expect((await c.cmd(line)).code).toBe(code);
    c.close();
  });

  it.each([
    ['RCPT TO:<alice@@keep.test>', 501],
    ['RCPT TO:<alice>', 501],
    ['RCPT TO:<alice@bad_domain..test>', 501],
  ])('answers %s with %i', async (line, code) => {
    const c = await session();
    expect((await c.cmd('MAIL FROM:<x@remote.example>')).code).toBe(250);
    expect((await c.cmd(line)).code).toBe(code);
    c.close();
  });

  it('stores a header-less message with our Received: header on top', async () => {
    const c = await session();
    expect(await send(c, 'carol@keep.test', 'just a line of text, no header')).toBe(250);
    const raw = k.raw(k.mailbox('carol').at(-1)!);
    expect(raw).toMatch(/^Received: from client\.example/);
    // an empty line ends our header (Received:, then the inbound checks' results)
    const [header, rest] = [raw.slice(0, raw.indexOf('\r\n\r\n') + 2), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
    expect(header).toMatch(/^(?:[A-Za-z-]+: [^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)+$/);
    expect(header).toMatch(/^Authentication-Results: keep\.test;/m);
    expect(rest).toBe('just a line of text, no header\r\n');
    c.close();
  });

  it('refuses a message with a line over 998 octets with 554 and stores nothing', async () => {
    const before = k.mailbox('carol').length;
    const c = await session();
    expect(await send(c, 'carol@keep.test', message({ from: 'x@remote.example', to: 'carol@keep.test', subject: 'long', body: `${'y'.repeat(999)}\r\n` }))).toBe(554);
    expect(k.mailbox('carol').length).toBe(before);
    // the session goes on
    expect(await send(c, 'carol@keep.test', message({ from: 'x@remote.example', to: 'carol@keep.test', subject: 'short' }))).toBe(250);
    c.close();
  });

  it('accepts a message of exactly the advertised SIZE and answers one octet more with 552', async () => {
    const limit = 63 * 1024;
    const sized = (n: number) => {
      const head = 'Subject: at the limit\r\n\r\n';
      const line = `${'z'.repeat(78)}\r\n`;
      let body = line.repeat(Math.floor((n - head.length) / line.length));
      body += 'z'.repeat(n - head.length - body.length - 2) + '\r\n';
      return head + body;
    };
    expect(sized(limit).length).toBe(limit);
    const before = k.mailbox('alice').length;
    const c = await session();
    expect(await send(c, 'alice@keep.test', sized(limit).slice(0, -2))).toBe(250);
    expect(await send(c, 'alice@keep.test', sized(limit + 1).slice(0, -2))).toBe(552);
    expect(k.mailbox('alice').length).toBe(before + 1);
    c.close();
  });

  it('stores broken MIME as received and keeps serving', async () => {
    const c = await session();
    const broken = 'From: x@remote.example\r\nSubject: broken\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nno closing boundary, and\r\n--b2\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!';
    expect(await send(c, 'carol@keep.test', broken)).toBe(250);
    expect(k.raw(k.mailbox('carol').at(-1)!)).toContain('no closing boundary');
    c.close();
  });

  it('answers pipelined commands in order', async () => {
    const c = await session();
    c.write('MAIL FROM:<x@remote.example>\r\nRCPT TO:<bob@keep.test>\r\nRCPT TO:<nobody@keep.test>\r\nRCPT TO:<carol@keep.test>\r\nDATA\r\n');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await c.reply()).code);
    expect(codes).toEqual([250, 250, 550, 250, 354]);
    c.write(`${message({ from: 'x@remote.example', to: 'bob@keep.test', subject: 'pipelined' })}\r\n.\r\nQUIT\r\n`);
    expect((await c.reply()).code).toBe(250);
    expect((await c.reply()).code).toBe(221);
    expect(k.raw(k.mailbox('bob').at(-1)!)).toContain('Subject: pipelined');
  });

  it('stores nothing when the client drops mid-DATA, and serves the next client', async () => {
    const before = k.mailbox('alice').length;
    const c = await session();
    expect((await c.cmd('MAIL FROM:<x@remote.example>')).code).toBe(250);
    expect((await c.cmd('RCPT TO:<alice@keep.test>')).code).toBe(250);
    expect((await c.cmd('DATA')).code).toBe(354);
    c.write('Subject: cut off\r\n\r\nfirst half of the mess');
    c.close();
    await k.keep.waitForLog((l) => l.msg === 'smtp: message not received in full; nothing stored', 10_000);
    const d = await session();
    expect(await send(d, 'alice@keep.test', message({ from: 'x@remote.example', to: 'alice@keep.test', subject: 'after the drop' }))).toBe(250);
    const inbox = k.mailbox('alice');
    expect(inbox.length).toBe(before + 1);
    expect(k.raw(inbox.at(-1)!)).toContain('Subject: after the drop');
    d.close();
  });

  it('closes the session with 421 on a command line over KEEP_MAX_LINE_LENGTH', async () => {
    const c = await session();
    const r = await c.cmd(`MAIL FROM:<${'a'.repeat(5000)}@remote.example>`);
    expect(r.code).toBe(421);
    expect(await c.closedByServer()).toBe(true);
  });

  it('closes the session with 421 after too many unknown commands', async () => {
    const c = await session();
    let last = 0;
    for (let i = 0; i < 12 && !c.closed; i++) last = (await c.cmd(`BOGUS${i}`).catch(() => ({ code: last }))).code;
    expect(last).toBe(421);
    expect(await c.closedByServer()).toBe(true);
  });
});
