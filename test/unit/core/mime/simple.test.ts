// The plain-text fast path of ingest gives what the full parser (postal-mime) gives, and steps
// aside for everything it does not handle.
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../src/core/mime/ingest.ts';
import { parseSimple } from '../../../../src/core/mime/simple.ts';

const SIMPLE = [
  'From: Sender <sender@example.org>\r\nTo: user1@keep.test, "Bob B" <bob@keep.test>\r\nCc: c@d.e\r\nSubject: bench 1\r\n\r\nLine one\r\nLine two\r\n',
  'From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\nTo: a@b.c\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8gV8O2cmxkCg==\r\n',
  'From: x@y.z\r\nSubject: no body\r\n\r\n',
  'From: Group: a@b.c, d@e.f;\r\nTo: undisclosed-recipients:;\r\nSubject: t\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9\r\n',
  'Subject: hi\n\nbare lf\nbody',
  'From: "Doe, John" <jd@x.y>\r\nSubject:   spaced   \r\n\r\nno final newline',
];

const FULL_PATH = [
  'Subject: qp\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n',
  'Subject: other charset\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xf2\xe9\r\n',
  'Subject: html\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n',
  'Subject: multi\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n',
  'Subject: Gr\xc3\xbc\xc3\x9fe\r\n\r\n8-bit header\r\n',
];

describe('ingest fast path', () => {
  it.each(SIMPLE)('matches the full parser: %j', async (s) => {
    const raw = Buffer.from(s, 'latin1');
    const full = await PostalMime.parse(raw);
    const fast = await ingest(raw);
    expect(fast.text).toBe(full.text ?? '');
    expect(fast.subject).toBe(full.subject ?? '');
    const addr = (a: { address?: string; name?: string } | undefined) => a && { address: a.address, name: a.name || undefined };
    expect(fast.from[0] && { address: fast.from[0].address, name: fast.from[0].name }).toEqual(full.from?.address ? addr(full.from) : full.from?.group?.[0] ? addr(full.from.group[0]) : undefined);
    expect(fast.envelope.to.map((a) => a.address)).toEqual((full.to ?? []).flatMap((a) => (a.group ? a.group.map((g) => g.address) : [a.address])));
  });

  it.each(FULL_PATH)('leaves %j to the full parser', async (s) => {
    const raw = Buffer.from(s, 'latin1');
    const structure = (await ingest(raw)).bodyStructure;
    const headerEnd = structure.bodyStart;
    expect(parseSimple(raw, structure, [])).toBeUndefined();
    expect(headerEnd).toBeGreaterThan(0);
  });
});
