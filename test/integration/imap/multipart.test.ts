// FETCH of a multipart message with an attachment and an attached message: BODYSTRUCTURE,
// numbered sections, MIME headers and the parts of an encapsulated message, all cut from the
// stored bytes at the offsets computed at ingest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

const inner = 'From: Carol <carol@keep.test>\r\nSubject: Inner\r\nContent-Type: text/plain\r\n\r\nInner body.\r\n';
const raw = [
  'From: Alice <alice@keep.test>', 'To: bob@keep.test', 'Subject: With parts', 'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XX"', '', 'Preamble.', '--XX', 'Content-Type: text/plain; charset=utf-8', '',
  'The text part.', '--XX', 'Content-Type: application/octet-stream; name="a.bin"', 'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="a.bin"', '', 'AAECAwQ=', '--XX', 'Content-Type: message/rfc822', '',
  inner.replace(/\r\n$/, ''), '--XX--', '',
].join('\r\n');

let keep: Keep;
let r: Raw;
beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN alice alice-pw');
  r.sock.write(`b APPEND INBOX {${raw.length}+}\r\n${raw}\r\n`);
  await r.until((b) => /^b OK/m.test(b));
  r.buf = '';
  await r.cmd('c', 'SELECT INBOX');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP FETCH of a multipart message', () => {
  it('describes the parts in BODYSTRUCTURE', async () => {
    const out = await r.cmd('d', 'FETCH 1 BODYSTRUCTURE');
    expect(out).toContain('("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" ');
    expect(out).toContain('("APPLICATION" "OCTET-STREAM" ("NAME" "a.bin") NIL NIL "BASE64" ');
    expect(out).toContain('("ATTACHMENT" ("FILENAME" "a.bin"))');
    expect(out).toContain('("MESSAGE" "RFC822" NIL NIL NIL "7BIT" ');
    // the attached message's own envelope and body structure, recorded at ingest
    expect(out).toMatch(/"MESSAGE" "RFC822" NIL NIL NIL "7BIT" \d+ \(NIL "Inner" \(\("Carol" NIL "carol" "keep\.test"\)\)/);
    expect(out).toMatch(/"RFC822" NIL NIL NIL "7BIT" \d+ \(.*?\) \("TEXT" "PLAIN" NIL NIL NIL "7BIT" \d+ 1 /);
    expect(out).toMatch(/ "MIXED" \("BOUNDARY" "XX"\) NIL NIL NIL\)\)\r\nd OK/);
  });

  it('returns numbered sections, MIME headers and the encapsulated message', async () => {
    const text = await r.cmd('e', 'FETCH 1 (BODY.PEEK[1] BODY.PEEK[2] BODY.PEEK[2.MIME])');
    expect(text).toMatch(/BODY\[1\] \{\d+\}\r\nThe text part\.(\r\n)? /);
    expect(text).toMatch(/BODY\[2\] \{\d+\}\r\nAAECAwQ=(\r\n)? /);
    expect(text).toContain('Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="a.bin"\r\n\r\n');
    const msg = await r.cmd('f', 'FETCH 1 (BODY.PEEK[3.HEADER.FIELDS (SUBJECT)] BODY.PEEK[3.TEXT] BODY.PEEK[3.1])');
    expect(msg).toContain('BODY[3.HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Inner\r\n\r\n');
    expect(msg).toMatch(/BODY\[3\.TEXT\] \{\d+\}\r\nInner body\./);
    expect(msg).toMatch(/BODY\[3\.1\] \{\d+\}\r\nInner body\./);
    expect(await r.cmd('g', 'FETCH 1 BODY.PEEK[9]')).toContain('BODY[9] {0}\r\n');
  });
});
