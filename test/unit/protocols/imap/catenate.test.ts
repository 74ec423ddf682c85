// CATENATE (RFC 4469): IMAP URLs (RFC 5092) naming a message or part here, and the part list.
import { describe, expect, it } from 'vitest';
import { parseCatParts, parseMessageUrl } from '../../../../src/protocols/imap/commands/catenate.ts';

describe('IMAP URL of a message', () => {
  it.each([
    ['/INBOX/;UID=3', { mailbox: 'INBOX', uid: 3 }],
    ['/Work%20Stuff;UIDVALIDITY=77/;UID=12/;SECTION=1.2', { mailbox: 'Work Stuff', uidValidity: 77, uid: 12, section: { path: [1, 2], part: '', fields: [] } }],
    ['/a/b/;uid=1/;section=header', { mailbox: 'a/b', uid: 1, section: { path: [], part: 'HEADER', fields: [] } }],
    ['/Caf%C3%A9/;UID=1/;PARTIAL=10.5', { mailbox: 'Café', uid: 1, partial: { start: 10, length: 5 } }],
    ['imap://bob@Keep.Test/INBOX/;UID=9/;SECTION=TEXT', { authority: { user: 'bob', host: 'keep.test' }, mailbox: 'INBOX', uid: 9, section: { path: [], part: 'TEXT', fields: [] } }],
    ['imap://mail.keep.test:143/INBOX/;UID=9', { authority: { host: 'mail.keep.test' }, mailbox: 'INBOX', uid: 9 }],
  ])('reads %s', (url, want) => {
    expect(parseMessageUrl(url)).toEqual(want);
  });

  it.each([
    ['INBOX/;UID=1'], ['/INBOX;UID=1'], ['/INBOX/;UID=0'], ['/INBOX/;UID=1/;SECTION=BOGUS'], ['/%E0%A4%A/;UID=1'],
    ['/INBOX/;UID=1/;URLAUTH=anonymous:internal:abc'], ['/INBOX?SUBJECT%20x'],
  ])('names nothing with %s', (url) => {
    expect(parseMessageUrl(url)).toBeUndefined();
  });
});

describe('CATENATE part list', () => {
  const lit = (v: string, isLiteral8 = false) => ({ t: 'string' as const, v, bytes: Buffer.from(v), isLiteral: true, ...(isLiteral8 ? { isLiteral8 } : {}) });
  const atom = (v: string) => ({ t: 'atom' as const, v });

  it('takes TEXT literals and URL strings in order', () => {
    const parts = parseCatParts([atom('TEXT'), lit('a'), atom('url'), { t: 'string', v: '/INBOX/;UID=1', bytes: Buffer.from('/INBOX/;UID=1') }, atom('text'), lit('b', true)]);
    expect(parts.map((p) => (p.kind === 'text' ? [p.kind, p.bytes.toString(), p.isLiteral8] : [p.kind, p.url]))).toEqual([['text', 'a', false], ['url', '/INBOX/;UID=1'], ['text', 'b', true]]);
  });

  it.each([
    [[]], [[atom('TEXT')]], [[atom('TEXT'), { t: 'string' as const, v: 'quoted', bytes: Buffer.from('quoted') }]], [[atom('BODY'), lit('x')]],
  ])('refuses %j with BAD', (list) => {
    expect(() => parseCatParts(list)).toThrow(/CATENATE/);
  });
});
