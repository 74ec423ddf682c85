import { describe, expect, it } from 'vitest';
import { compileWildmat, isMessageId, parseArticleNumber, parseCommand, parseDateTime, parseRange } from '../../../../src/protocols/nntp/parser.ts';
import { NntpError } from '../../../../src/protocols/nntp/errors.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof NntpError ? err.code : 'other';
  }
  return 'none';
};

describe('NNTP parseCommand', () => {
  it.each([
    ['article 12', { verb: 'ARTICLE', args: ['12'] }],
    ['  LIST   active   keep.*  ', { verb: 'LIST', args: ['active', 'keep.*'] }],
    ['mode reader', { verb: 'MODE READER', args: [] }],
    ['AUTHINFO user Jane Doe', { verb: 'AUTHINFO USER', args: ['Jane', 'Doe'] }],
    ['authinfo PASS pass word ', { verb: 'AUTHINFO PASS', args: ['pass', 'word'], rest: 'pass word ' }],
    ['', { verb: '', args: [] }],
    ['QUIT', { verb: 'QUIT', args: [] }],
  ])('parses %j', (line, want) => {
    expect(parseCommand(line)).toMatchObject(want);
  });
});

describe('NNTP parseRange', () => {
  it.each([
    ['7', { from: 7, to: 7 }],
    ['7-', { from: 7, to: Infinity }],
    ['7-9', { from: 7, to: 9 }],
    ['9-7', { from: 9, to: 7 }],
    ['0-9999999999999999', { from: 0, to: 9999999999999999 }],
  ])('reads %j', (s, want) => {
    expect(parseRange(s)).toEqual(want);
  });

  it.each(['', '-', '-7', '7--', '1-2-3', 'a', '1,2', ' 1', '12345678901234567', '1-12345678901234567', '1.5'])('answers %j with 501', (s) => {
    expect(code(() => parseRange(s))).toBe(501);
  });
});

describe('NNTP article arguments', () => {
  it.each([['<a@b>', true], ['<a.b.c@d.e>', true], ['<>', false], ['<a b@c>', false], ['a@b', false], ['<a>b>', false], [`<${'x'.repeat(250)}>`, false]])('isMessageId(%j) is %s', (s, want) => {
    expect(isMessageId(s)).toBe(want);
  });

  it('reads an article number and refuses garbage with 501', () => {
    expect(parseArticleNumber('42')).toBe(42);
    expect(code(() => parseArticleNumber('4x'))).toBe(501);
    expect(code(() => parseArticleNumber('-1'))).toBe(501);
  });
});

describe('NNTP wildmat', () => {
  it.each([
    ['keep.*', 'keep.main.lobby', true],
    ['keep.*', 'other.x', false],
    ['keep.?ain.*', 'keep.main.x', true],
    ['*,!*.lobby', 'keep.main.lobby', false],
    ['*,!*.lobby', 'keep.main.kitchen', true],
    ['!*.lobby,*', 'keep.main.lobby', true],
    ['keep.main.lobby', 'keep.main.lobby', true],
    ['keep+x.*', 'keep+x.a', true],
  ])('%j matches %j: %s', (pattern, name, want) => {
    expect(compileWildmat(pattern)(name)).toBe(want);
  });

  it.each(['', 'a[b]', 'a\\b', 'a,,b', '!'])('answers %j with 501', (p) => {
    expect(code(() => compileWildmat(p))).toBe(501);
  });
});

describe('NNTP parseDateTime', () => {
  const now = new Date(Date.UTC(2026, 10, 25));
  it.each([
    [['20260102', '030405', 'GMT'], Date.UTC(2026, 0, 2, 3, 4, 5)],
    [['260102', '030405', undefined], Date.UTC(2026, 0, 2, 3, 4, 5)],
    [['990102', '000000', undefined], Date.UTC(1999, 0, 2)],
    [['20240229', '235959', 'gmt'], Date.UTC(2024, 1, 29, 23, 59, 59)],
  ] as const)('reads %j', (args, want) => {
    expect(parseDateTime(args[0], args[1], args[2], now)).toBe(want);
  });

  it.each([[['2026010', '000000']], [['20260230', '000000']], [['20260101', '240000']], [['20260101', '000000', 'UTC']], [[undefined, undefined]]] as const)('answers %j with 501', ([d, t, g]) => {
    expect(code(() => parseDateTime(d, t, g, now))).toBe(501);
  });
});

