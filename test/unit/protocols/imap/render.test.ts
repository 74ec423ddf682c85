// IMAP rendering: strings, dates, envelopes, body structures, flags, sequence sets.
import { describe, expect, it } from 'vitest';
import { bodyStructure, envelope, esearchLine, flagList, imapDate, mailboxName, nstr, orderedSetString, seqSetString, str, tagged } from '../../../../src/protocols/imap/render.ts';
import type { BodyPart } from '../../../../src/core/index.ts';

describe('IMAP render', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi" \\o/', '"say \\"hi\\" \\\\o/"'],
    ['two\r\nlines', '{10}\r\ntwo\r\nlines'],
    ['Grüße', `{7}\r\n${Buffer.from('Grüße').toString('latin1')}`],
  ])('renders the string %j', (s, wire) => expect(str(s)).toBe(wire));

  it('renders NIL, dates, flags, sequence sets and tagged replies', () => {
    expect(nstr(undefined)).toBe('NIL');
    expect(imapDate(Date.UTC(2026, 2, 2, 9, 5, 7))).toBe('"02-Mar-2026 09:05:07 +0000"');
    expect(flagList({ system: ['seen', 'flagged'], keywords: ['$Work'] })).toBe('(\\Seen \\Flagged $Work)');
    expect(seqSetString([7, 1, 2, 3, 9, 10])).toBe('1:3,7,9:10');
    expect(orderedSetString([7, 1, 2, 3, 9, 10, 4])).toBe('7,1:3,9:10,4');
    expect(orderedSetString([3, 2, 1])).toBe('3,2,1');
    expect(esearchLine('a1', true, ' COUNT 2')).toBe('* ESEARCH (TAG "a1") UID COUNT 2\r\n');
    expect(tagged('a1', { status: 'NO', code: 'TRYCREATE', text: 'no\r\nsuch' })).toBe('a1 NO [TRYCREATE] no such\r\n');
  });

  it('renders an ENVELOPE with names encoded as core encodes them in a From header', () => {
    const env = { date: 'Mon, 2 Mar 2026 10:00:00 +0000', subject: 'Hi', from: [{ name: 'Zoë', address: 'zoe@keep.test' }], sender: [], replyTo: [], to: [{ address: 'bob@keep.test' }], cc: [], bcc: [], messageId: '<1@x>' };
    expect(envelope(env)).toBe('("Mon, 2 Mar 2026 10:00:00 +0000" "Hi" (("=?UTF-8?Q?Zo=C3=AB?=" NIL "zoe" "keep.test")) NIL NIL ((NIL NIL "bob" "keep.test")) NIL NIL NIL "<1@x>")');
  });

  it('renders BODYSTRUCTURE and BODY of a multipart message from offsets', () => {
    const text: BodyPart = { type: 'text', subtype: 'plain', params: { charset: 'utf-8' }, encoding: '7bit', headerStart: 100, bodyStart: 140, end: 152, lines: 1 };
    const pdf: BodyPart = { type: 'application', subtype: 'pdf', params: { name: 'a.pdf' }, encoding: 'base64', headerStart: 170, bodyStart: 230, end: 330, lines: 2, disposition: { type: 'attachment', params: { filename: 'a.pdf' } } };
    const root: BodyPart = { type: 'multipart', subtype: 'mixed', params: { boundary: 'b' }, encoding: '7bit', headerStart: 0, bodyStart: 80, end: 340, lines: 10, parts: [text, pdf] };
    expect(bodyStructure(root, false)).toBe('(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 1)("APPLICATION" "PDF" ("NAME" "a.pdf") NIL NIL "BASE64" 100) "MIXED")');
    expect(bodyStructure(root, true)).toBe('(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)("APPLICATION" "PDF" ("NAME" "a.pdf") NIL NIL "BASE64" 100 NIL ("ATTACHMENT" ("FILENAME" "a.pdf")) NIL NIL) "MIXED" ("BOUNDARY" "b") NIL NIL NIL)');
  });
});

describe('IMAP mailbox names on the wire', () => {
  const b = (x: string) => Buffer.from(x, 'utf8').toString('latin1');
  it.each([
    ['INBOX', false, 'INBOX'],
    ['Café', false, 'Caf&AOk-'],
    ['A&B', false, 'A&-B'],
    ['with space', false, '"with space"'],
    ['Café', true, `"${b('Café')}"`],
    ['A&B', true, 'A&B'],
    ['Say "hi"', true, '"Say \\"hi\\""'],
    ['日本 "x"', true, `"${b('日本 \\"x\\"')}"`],
  ])('renders %s (UTF8=ACCEPT %s) as %s', (name, isUtf8, wire) => {
    expect(mailboxName(name, isUtf8)).toBe(wire);
  });
});
