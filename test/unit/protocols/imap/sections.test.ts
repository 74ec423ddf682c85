// BODY[HEADER.FIELDS] and [HEADER.FIELDS.NOT] (RFC 3501 §6.4.5): the named fields' bytes as
// stored, continuation lines included, then the blank line.
import { describe, expect, it } from 'vitest';
import { headerFields } from '../../../../src/protocols/imap/commands/sections.ts';

const block = Buffer.from('From: a@b\r\nSubject: one\r\n two\r\nTo: c@d\r\nX-Bare: lf\n\r\nbody: not a header\r\n');

describe('IMAP HEADER.FIELDS', () => {
  it.each([
    [['subject'], false, 'Subject: one\r\n two\r\n\r\n'],
    [['FROM', 'to'], false, 'From: a@b\r\nTo: c@d\r\n\r\n'],
    [['subject', 'to'], true, 'From: a@b\r\nX-Bare: lf\n\r\n'],
    [['missing'], false, '\r\n'],
  ])('%j (NOT: %s)', (names, isNot, want) => {
    expect(headerFields(block, names, isNot).toString('latin1')).toBe(want);
  });

  it('ends a last field without a line end with CRLF', () => {
    expect(headerFields(Buffer.from('Subject: x'), ['subject'], false).toString()).toBe('Subject: x\r\n\r\n');
  });
});
