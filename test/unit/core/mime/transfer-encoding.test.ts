// Content-Transfer-Encoding: decoding a stored part (IMAP BINARY) and re-encoding binary parts of
// handed-in bytes as base64 before they are stored.
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../src/core/mime/ingest.ts';
import { decodedBody, encodeBinaryParts } from '../../../../src/core/mime/transfer-encoding.ts';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

describe('decodedBody', () => {
  it.each([
    ['base64', 'aGVs\r\n bG8g  \r\nd29y bGQ=\r\n', 'hello world'],
    ['quoted-printable', 'a=3Db  \r\nsoft=\r\nbreak\r\n', 'a=b\r\nsoftbreak\r\n'],
    ['8bit', 'caf\xe9\r\n', 'caf\xe9\r\n'],
    ['BINARY', '\x00\x01\r\n', '\x00\x01\r\n'],
  ])('undoes %s', async (cte, body, want) => {
    const raw = crlf(['Subject: x', `Content-Transfer-Encoding: ${cte}`, '', '']);
    const msg = Buffer.concat([raw, Buffer.from(body, 'latin1')]);
    const root = (await ingest(msg)).bodyStructure;
    expect(decodedBody(msg, root, true)?.toString('latin1')).toBe(want);
  });

  it('knows no x-uuencode', async () => {
    const msg = crlf(['Content-Transfer-Encoding: x-uuencode', '', 'begin 644 a', '']);
    expect(decodedBody(msg, (await ingest(msg)).bodyStructure, true)).toBeUndefined();
  });

  it('gives a multipart its bytes as stored', async () => {
    const msg = crlf(['Content-Type: multipart/mixed; boundary=b', 'Content-Transfer-Encoding: base64', '', '--b', '', 'x', '--b--', '']);
    const root = (await ingest(msg)).bodyStructure;
    expect(decodedBody(msg, root, true)?.toString()).toBe('--b\r\n\r\nx\r\n--b--\r\n');
  });
});

describe('encodeBinaryParts', () => {
  it('re-encodes a binary part as base64 and leaves the structure around it', async () => {
    const octets = Buffer.from([0, 0xff, 13, 10, 0x80]);
    const msg = Buffer.concat([
      crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'text', '--b', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary', '', '']),
      octets, crlf(['', '--b--', '']),
    ]);
    const out = encodeBinaryParts(msg, (await ingest(msg)).bodyStructure);
    expect(out.toString('latin1')).toContain('Content-Transfer-Encoding: base64\r\n\r\nAP8NCoA=\r\n--b--');
    const root = (await ingest(out)).bodyStructure;
    expect(root.parts?.length).toBe(2);
    expect(decodedBody(out, root.parts![1]!, false)).toEqual(octets);
    expect(decodedBody(out, root.parts![0]!, false)?.toString()).toBe('text');
  });

  it('returns bytes without binary parts unchanged', async () => {
    const msg = crlf(['Subject: x', '', 'plain', '']);
    expect(encodeBinaryParts(msg, (await ingest(msg)).bodyStructure)).toBe(msg);
  });
});
