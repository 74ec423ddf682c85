import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../src/protocols/imap/parser.ts';
import { parseListArgs } from '../../../../src/protocols/imap/commands/list-args.ts';

const args = (text: string) => parseCommand({ lines: [`a LIST ${text}`], literals: [] }).args;

describe('LIST arguments (RFC 5258, RFC 5819)', () => {
  it.each([
    ['"" %', { reference: '', patterns: ['%'], isExtended: false }],
    ['"" (a* b)', { patterns: ['a*', 'b'], isExtended: true }],
    ['(SUBSCRIBED RECURSIVEMATCH) "" *', { isExtended: true, select: { subscribed: true, remote: false, recursive: true, specialUse: false } }],
    ['(special-use) "" *', { select: { subscribed: false, remote: false, recursive: false, specialUse: true } }],
    ['"" * RETURN (CHILDREN SUBSCRIBED)', { isExtended: true, ret: { subscribed: true, children: true, specialUse: false } }],
    ['"" * RETURN (STATUS (MESSAGES size))', { ret: { subscribed: false, children: false, specialUse: false, status: ['MESSAGES', 'SIZE'] } }],
    ['"" B&APw-cher', { patterns: ['Bücher'] }],
  ])('reads LIST %s', (text, want) => {
    expect(parseListArgs(args(text))).toMatchObject(want);
  });

  it.each([
    ['(FOO) "" *', 'Unknown LIST selection option'],
    ['(RECURSIVEMATCH) "" *', 'RECURSIVEMATCH needs another selection option'],
    ['(RECURSIVEMATCH REMOTE) "" *', 'RECURSIVEMATCH needs another selection option'],
    ['"" * RETURN (FOO)', 'Unknown LIST return option'],
    ['"" * RETURN (STATUS (FOO))', 'Unknown STATUS item FOO'],
    ['"" * RETURN (STATUS MESSAGES)', 'STATUS needs a list of status items'],
    ['"" * EXTRA', 'Unexpected LIST arguments'],
    ['""', 'LIST needs a mailbox pattern'],
    ['"" ()', 'LIST needs a mailbox pattern'],
  ])('refuses LIST %s with BAD', (text, message) => {
    expect(() => parseListArgs(args(text))).toThrow(expect.objectContaining({ status: 'BAD', message }));
  });

  it('takes names as they are when told not to decode modified UTF-7', () => {
    expect(parseListArgs(args('"" "A&B-"'), (n) => n).patterns).toEqual(['A&B-']);
  });
});
