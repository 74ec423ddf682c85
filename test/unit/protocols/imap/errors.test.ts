// IMAP error mapping (STYLE.md §4): every core error kind, the translator's own refusals,
// syntax errors and unknown errors become one tagged reply.
import { describe, expect, it } from 'vitest';
import { CoreError, type ErrorKind } from '../../../../src/core/index.ts';
import { ImapError, mapError } from '../../../../src/protocols/imap/errors.ts';
import { ParseError } from '../../../../src/protocols/imap/parser.ts';

describe('IMAP mapError', () => {
  it.each<[ErrorKind, string, string | undefined]>([
    ['not-logged-in', 'BAD', undefined],
    ['bad-credentials', 'NO', 'AUTHENTICATIONFAILED'],
    ['forbidden', 'NO', 'NOPERM'],
    ['not-found', 'NO', 'NONEXISTENT'],
    ['exists', 'NO', 'ALREADYEXISTS'],
    ['invalid', 'BAD', undefined],
    ['too-big', 'NO', 'TOOBIG'],
    ['limit', 'NO', 'LIMIT'],
    ['unavailable', 'NO', 'UNAVAILABLE'],
    ['over-quota', 'NO', 'OVERQUOTA'],
  ])('answers core %s with %s [%s]', (kind, status, code) => {
    const m = mapError(new CoreError(kind, `the ${kind} text`));
    expect(m).toEqual({ status, ...(code ? { code } : {}), text: `the ${kind} text`, isBug: false });
  });

  it('answers syntax errors BAD, handler refusals as raised, anything else NO [SERVERBUG] without details', () => {
    expect(mapError(new ParseError('Unbalanced parenthesis', 'a1'))).toEqual({ status: 'BAD', text: 'Unbalanced parenthesis', isBug: false });
    expect(mapError(new ImapError('NO', 'Mailbox is read-only', 'READ-ONLY'))).toEqual({ status: 'NO', code: 'READ-ONLY', text: 'Mailbox is read-only', isBug: false });
    const bug = mapError(new TypeError('secret internals at /src/x.ts:12'));
    expect(bug).toEqual({ status: 'NO', code: 'SERVERBUG', text: 'Internal error; it has been logged.', isBug: true });
  });
});
