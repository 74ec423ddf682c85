// BINARY (RFC 3516): FETCH BINARY[part], BINARY.PEEK, BINARY.SIZE with the transfer encoding
// undone, partials of the decoded content, literal8 when a NUL is in it, UNKNOWN-CTE, and APPEND
// of a literal8 whose binary part is stored base64-encoded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['bina']); });
afterAll(async () => { await keep?.stop(); });

const MIXED = [
  'From: bina@keep.test', 'Subject: parts', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
  '--b', 'Content-Type: text/plain', 'Content-Transfer-Encoding: base64', '', 'aGVsbG8g', 'd29ybGQ=', '',
  '--b', 'Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable', '', 'caf=C3=A9 =', 'au lait', '',
  '--b', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: x-uuencode', '', 'begin 644 x', '',
  '--b--', '',
].join('\r\n');

async function session(): Promise<Raw> {
  const r = await Raw.open(keep.ports.imap);
  await r.cmd('l', 'LOGIN bina bina-pw');
  return r;
}

describe('IMAP BINARY', () => {
  it('advertises BINARY', async () => {
    const r = await session();
    expect(await r.cmd('c', 'CAPABILITY')).toMatch(/ BINARY[ \r]/);
    r.close();
  });

  it('decodes base64 and quoted-printable parts, sizes them and cuts partials of the decoded bytes', async () => {
    const r = await session();
    await r.cmd('m', 'CREATE bin1');
    expect(await r.cmd('a', `APPEND bin1 {${MIXED.length}+}\r\n${MIXED}`)).toMatch(/a OK/);
    await r.cmd('s', 'SELECT bin1');
    const f = await r.cmd('f', 'FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1] BINARY.SIZE[2] BINARY.PEEK[2] BINARY.PEEK[1]<6.3>)');
    expect(f).toContain('BINARY.SIZE[1] 11 BINARY[1] {11}\r\nhello world BINARY.SIZE[2] 15 ');
    expect(Buffer.from(f, 'latin1').includes(Buffer.from('BINARY[2] {15}\r\ncafé au lait\r\n'))).toBe(true);
    expect(f).toContain('BINARY[1]<6> {3}\r\nwor');
    expect(f).not.toMatch(/\\Seen/);
    r.close();
  });

  it('answers an unknown transfer encoding with NO [UNKNOWN-CTE]', async () => {
    const r = await session();
    await r.cmd('s', 'SELECT bin1');
    expect(await r.cmd('f', 'FETCH 1 BINARY.PEEK[3]')).toMatch(/f NO \[UNKNOWN-CTE\]/);
    r.close();
  });

  it('marks the message seen for BINARY without PEEK', async () => {
    const r = await session();
    await r.cmd('s', 'SELECT bin1');
    const f = await r.cmd('f', 'FETCH 1 BINARY[1]');
    expect(f).toMatch(/FLAGS \(\\Seen\)/);
    r.close();
  });

  it('stores a binary part of a literal8 APPEND base64-encoded and gives its octets back in a literal8', async () => {
    const r = await session();
    await r.cmd('m', 'CREATE bin2');
    const head = 'From: bina@keep.test\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n';
    const octets = Buffer.from([0, 1, 2, 0xff, 13, 10, 0x80, 0]);
    const msg = Buffer.concat([Buffer.from(head), octets]);
    const reply = await r.cmd('a', Buffer.concat([Buffer.from(`a APPEND bin2 ~{${msg.length}+}\r\n`), msg, Buffer.from('\r\n')]));
    expect(reply).toMatch(/a OK \[APPENDUID \d+ 1\]/);
    await r.cmd('s', 'SELECT bin2');
    const body = await r.cmd('b', 'FETCH 1 BODY.PEEK[]');
    expect(body).toContain('Content-Transfer-Encoding: base64\r\n\r\nAAEC/w0KgAA=');
    const bin = Buffer.from(await r.cmd('f', 'FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])'), 'latin1');
    expect(bin.includes(Buffer.concat([Buffer.from('BINARY.SIZE[1] 8 BINARY[1] ~{8}\r\n'), octets]))).toBe(true);
    r.close();
  });

  it('refuses HEADER or TEXT in a binary section', async () => {
    const r = await session();
    await r.cmd('s', 'SELECT bin1');
    expect(await r.cmd('f', 'FETCH 1 BINARY[HEADER]')).toMatch(/f BAD/);
    expect(await r.cmd('g', 'FETCH 1 BINARY.SIZE[1]<0.5>')).toMatch(/g BAD/);
    r.close();
  });
});
