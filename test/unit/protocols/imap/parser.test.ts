// IMAP wire grammar: commands, strings, literals, lists, sequence sets, dates, mailbox names.
import { describe, expect, it } from 'vitest';
import { decodeMailboxName, literalMarker, parseCommand, parseDate, parseDateTime, parseNumberSet, parseSeqSet, isSavedSet, ParseError, resolveSeqSet, type Value } from '../../../../src/protocols/imap/parser.ts';
import { encodeMailboxName } from '../../../../src/protocols/imap/render.ts';

const one = (line: string, literals: string[] = []) => {
  const lines = line.split('\n');
  return parseCommand({ lines, literals: literals.map((l) => Buffer.from(l)) });
};
const plain = (v: Value): unknown => (v.t === 'list' ? v.v.map(plain) : v.v);

describe('IMAP parseCommand', () => {
  it.each([
    ['a1 NOOP', 'a1', 'NOOP', []],
    ['a2 login alice "pass word"', 'a2', 'LOGIN', ['alice', 'pass word']],
    ['a3 LOGIN "a\\"b" "c\\\\d"', 'a3', 'LOGIN', ['a"b', 'c\\d']],
    ['t uid fetch 1:* (FLAGS UID)', 't', 'UID FETCH', ['1:*', ['FLAGS', 'UID']]],
    ['t FETCH 1 (BODY.PEEK[HEADER.FIELDS (From To)]<0.100>)', 't', 'FETCH', ['1', ['BODY.PEEK[HEADER.FIELDS (From To)]<0.100>']]],
    ['t STORE 1 +FLAGS (\\Seen \\Deleted $Work)', 't', 'STORE', ['1', '+FLAGS', ['\\Seen', '\\Deleted', '$Work']]],
    ['t LIST "" *', 't', 'LIST', ['', '*']],
    ['t LIST "" %/x', 't', 'LIST', ['', '%/x']],
    ['t SEARCH OR (FROM a) (TO b) NOT SEEN', 't', 'SEARCH', ['OR', ['FROM', 'a'], ['TO', 'b'], 'NOT', 'SEEN']],
    ['t STATUS INBOX ()', 't', 'STATUS', ['INBOX', []]],
    ['t SELECT "Gr\u00fc\u00dfe"', 't', 'SELECT', ['Grüße']],
    // imaptest 'atoms': an unclosed '[' is an atom character, not a section bracket
    ["t SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}", 't', 'SELECT', ["!#$&'+,-.0123456789:;<=>?@^_`|[}"]],
    ["t LIST \"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*", 't', 'LIST', ['', "!#$&'+,-.0123456789:;<=>?@^_`|[}%*"]],
  ])('parses %j', (line, tag, name, args) => {
    const raw = Buffer.from(line, 'utf8').toString('latin1');
    const c = one(raw);
    expect(c.tag).toBe(tag);
    expect(c.name).toBe(name);
    expect(c.args.map(plain)).toEqual(args);
  });

  it('takes literals in place, also inside lists', () => {
    const c = one('a LOGIN {5}\n {3+}\n', ['alice', 'pw!']);
    expect(c.args.map(plain)).toEqual(['alice', 'pw!']);
    const d = one('a APPEND INBOX (\\Seen) {4}\n', ['abcd']);
    expect(d.args.map(plain)).toEqual(['INBOX', ['\\Seen'], 'abcd']);
    const e = one('a SEARCH (SUBJECT {3}\n FROM x)', ['a b']);
    expect(e.args.map(plain)).toEqual([['SUBJECT', 'a b', 'FROM', 'x']]);
  });

  it('takes a literal8 (~{n}) and tells it apart from a literal and a quoted string', () => {
    const c = one('a APPEND INBOX ~{3}\n {2+}\n "q"', ['\0\x01\x02', 'ab']);
    expect(c.args.map(plain)).toEqual(['INBOX', '\0\x01\x02', 'ab', 'q']);
    expect(c.args.slice(1).map((v) => v.t === 'string' && [v.isLiteral === true, v.isLiteral8 === true])).toEqual([[true, true], [true, false], [false, false]]);
  });

  it.each([
    ['', 'Missing or invalid tag', undefined],
    ['a', 'Missing command', 'a'],
    ['(a NOOP', 'Missing or invalid tag', undefined],
    ['a NO-OP', 'Invalid command name', 'a'],
    ['a LOGIN "x', 'Unterminated quoted string', 'a'],
    ['a LOGIN "x\\y"', 'Invalid escape in quoted string', 'a'],
    ['a LOGIN  x', 'Unexpected double space', 'a'],
    ['a FETCH 1 (FLAGS', 'Unbalanced parenthesis', 'a'],
    ['a FETCH 1 (BODY[TEXT', 'Unbalanced parenthesis', 'a'],
    ['a LOGIN x\x01y z', 'Control character in atom', 'a'],
    ['a FETCH 1 ((((((((((((((((((((((((x))))))))))))))))))))))', 'Lists nested too deeply', 'a'],
  ])('refuses %j', (line, message, tag) => {
    let err: unknown;
    try {
      one(line);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toBe(message);
    expect((err as ParseError).tag).toBe(tag);
  });
});

describe('IMAP mailbox name input', () => {
  it('decodes modified UTF-7, and takes names as they are after UTF8=ACCEPT', () => {
    expect(decodeMailboxName('Caf&AOk-')).toBe('Café');
    expect(decodeMailboxName('A&-B')).toBe('A&B');
    expect(decodeMailboxName('A&B', true)).toBe('A&B');
    expect(decodeMailboxName('Café', true)).toBe('Café');
    expect(() => decodeMailboxName('Caf\uFFFD', true)).toThrow(/valid UTF-8/);
  });
});

describe('IMAP literal markers', () => {
  it.each([
    ['a LOGIN {5}', { size: 5, isSync: true }],
    ['a LOGIN {5+}', { size: 5, isSync: false }],
    ['a LOGIN {5', undefined],
    ['a LOGIN x', undefined],
  ])('reads %j', (line, want) => {
    expect(literalMarker(line)).toEqual(want);
  });
});

describe('IMAP sequence sets', () => {
  it.each([
    ['1', [{ from: 1, to: 1 }]],
    ['1:3,7,9:*', [{ from: 1, to: 3 }, { from: 7, to: 7 }, { from: 9, to: -1 }]],
    ['*:4', [{ from: -1, to: 4 }]],
  ])('parses %j', (s, want) => expect(parseSeqSet(s)).toEqual(want));

  it.each(['0', '1:', ':2', '1,,2', 'a', '1:2:3', '4294967296', '01'])('refuses %j', (s) => {
    expect(() => parseSeqSet(s)).toThrow(ParseError);
  });

  it('reads $ alone as the saved search result, and refuses it inside a set or where only numbers go', () => {
    expect(isSavedSet(parseSeqSet('$'))).toBe(true);
    expect(isSavedSet(parseSeqSet('1:3'))).toBe(false);
    expect(() => parseSeqSet('1,$')).toThrow(ParseError);
    expect(() => parseNumberSet('$')).toThrow(ParseError);
  });

  it('resolves * against the highest number and orders ranges', () => {
    expect(resolveSeqSet(parseSeqSet('5:*,*:2'), 9)).toEqual([{ from: 5, to: 9 }, { from: 2, to: 9 }]);
  });
});

describe('IMAP dates and mailbox names', () => {
  it('parses SEARCH dates and APPEND date-times', () => {
    expect(parseDate('2-Mar-2026')).toBe(Date.UTC(2026, 2, 2));
    expect(parseDateTime('02-Mar-2026 10:00:00 +0100')).toBe(Date.UTC(2026, 2, 2, 9));
    expect(parseDateTime(' 2-Mar-2026 10:00:00 -0030')).toBe(Date.UTC(2026, 2, 2, 10, 30));
    expect(() => parseDate('2026-03-02')).toThrow(ParseError);
    expect(() => parseDateTime('02-Foo-2026 10:00:00 +0100')).toThrow(ParseError);
  });

  it.each([
    ['INBOX', 'INBOX'],
    ['Tom & Jerry', 'Tom &- Jerry'],
    ['Grüße', 'Gr&APwA3w-e'],
    ['日本語', '&ZeVnLIqe-'],
    ['😀 mail', '&2D3eAA- mail'],
  ])('round-trips %j through modified UTF-7', (name, wire) => {
    expect(encodeMailboxName(name)).toBe(wire);
    expect(decodeMailboxName(wire)).toBe(name);
  });
});

describe('IMAP parser on random input', () => {
  it('either parses or throws a ParseError, for 3000 random lines', () => {
    const alphabet = 'a1 *%()[]{}<>"\\+:,.\x00\x7f\xff\r{5}{0+}BODY[HEADER.FIELDS (A)]UID FETCH ';
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let line = '';
      const len = rand(60);
      for (let j = 0; j < len; j++) line += alphabet[rand(alphabet.length)];
      const literals = line.match(/\{\d+\+?\}$/) ? [Buffer.from('xyz')] : [];
      try {
        parseCommand({ lines: [line, ...(literals.length ? [''] : [])], literals });
      } catch (err) {
        expect(err).toBeInstanceOf(ParseError);
      }
    }
  });
});
