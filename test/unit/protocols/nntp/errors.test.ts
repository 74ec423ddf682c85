import { describe, expect, it } from 'vitest';
import { CoreError, type ErrorKind } from '../../../../src/core/index.ts';
import { isBadCommandCode, mapError, NntpError } from '../../../../src/protocols/nntp/errors.ts';

describe('NNTP mapError', () => {
  it.each([
    ['not-logged-in', 480], ['bad-credentials', 481], ['forbidden', 502], ['not-found', 423], ['exists', 441],
    ['invalid', 501], ['too-big', 441], ['limit', 441], ['unavailable', 403], ['over-quota', 441],
  ] as [ErrorKind, number][])('answers a core %s error with %i and its message', (kind, code) => {
    expect(mapError(new CoreError(kind, 'Said\r\nto the user.'))).toEqual({ code, text: 'Said to the user.', isBug: false });
  });

  it('lets a command override a kind (POST: forbidden is 441)', () => {
    expect(mapError(new CoreError('forbidden', 'no'), { forbidden: 441 }).code).toBe(441);
  });

  it('passes an NNTP refusal through', () => {
    expect(mapError(new NntpError(412, 'No newsgroup selected'))).toEqual({ code: 412, text: 'No newsgroup selected', isBug: false });
  });

  it('answers anything else with 403 and no internal text, flagged as a bug', () => {
    expect(mapError(new TypeError('x is undefined at /src/secret.ts:1'))).toEqual({ code: 403, text: 'Internal fault', isBug: true });
  });

  it.each([[500, true], [501, true], [481, true], [482, true], [423, false], [480, false], [441, false]])('counts %i as a bad command: %s', (code, want) => {
    expect(isBadCommandCode(code)).toBe(want);
  });
});
