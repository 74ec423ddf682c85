// Ingest parses a message once (mailsplit for the part tree, the header index for the envelope)
// and gives what a full parser (postal-mime, kept as the test's oracle) gives, for simple mail and
// for the cases that need more: quoted-printable, other charsets, HTML, multipart, 8-bit headers.
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../src/core/mime/ingest.ts';

const CASES = [
  'From: Sender <sender@example.org>\r\nTo: user1@keep.test, "Bob B" <bob@keep.test>\r\nCc: c@d.e\r\nSubject: bench 1\r\n\r\nLine one\r\nLine two\r\n',
  'From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\nTo: a@b.c\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8gV8O2cmxkCg==\r\n',
  'From: x@y.z\r\nSubject: no body\r\n\r\n',
  'From: Group: a@b.c, d@e.f;\r\nTo: undisclosed-recipients:;\r\nSubject: t\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9\r\n',
  'Subject: hi\n\nbare lf\nbody',
  'From: "Doe, John" <jd@x.y>\r\nSubject:   spaced   \r\n\r\nno final newline',
  'Subject: qp\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 soft=\r\nbreak\r\n',
  'Subject: other charset\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xf2\xe9\r\n',
  'Subject: multi\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--b--\r\n',
  'From: Z <z@x.y>\r\nSubject: mixed\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n--q\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.bin\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--q--\r\n',
];

describe('ingest', () => {
  it.each(CASES)('gives the text, subject and addresses a full parser gives: %j', async (s) => {
    const raw = Buffer.from(s, 'latin1');
    const full = await PostalMime.parse(raw);
    const got = await ingest(raw);
    expect(got.text.trim()).toBe((full.text ?? '').trim());
    expect(got.subject).toBe(full.subject ?? '');
    const first = full.from?.address ? full.from : full.from?.group?.[0];
    expect(got.from[0]?.address).toBe(first?.address);
    expect(got.from[0]?.name ?? '').toBe(first?.name ?? '');
    expect(got.envelope.to.map((a) => a.address)).toEqual((full.to ?? []).flatMap((a) => (a.group ? a.group.map((g) => g.address) : [a.address])));
  });

  it('turns an HTML-only message into text', async () => {
    const got = await ingest(Buffer.from('Subject: html\r\nContent-Type: text/html\r\n\r\n<p>hi <b>there</b></p>\r\n'));
    expect(got.text).toBe('hi there\n');
  });

  it('indexes 8-bit UTF-8 header values as UTF-8 text, folded lines unfolded', async () => {
    const got = await ingest(Buffer.from('From: Zoë <zoe@x.y>\r\nSubject: Grüße\r\n aus Köln\r\n\r\nbody\r\n', 'utf8'));
    expect(got.headers).toEqual([['from', 'Zoë <zoe@x.y>'], ['subject', 'Grüße aus Köln']]);
    expect(got.envelope.from).toEqual([{ name: 'Zoë', address: 'zoe@x.y' }]);
    expect(got.subject).toBe('Grüße aus Köln');
  });

  it('indexes a header that is not UTF-8 as Latin-1', async () => {
    const got = await ingest(Buffer.from('Subject: caf\xe9\r\n\r\nx\r\n', 'latin1'));
    expect(got.headers).toEqual([['subject', 'café']]);
  });
});
