// The native parser and line framing: verb from the first four characters, `|` fields, limits.
import { describe, expect, it } from 'vitest';
import { cleanLikeName, intField, isWellFormedVerb, parseCommand } from '../../../../src/protocols/native/parser.ts';

describe('native parseCommand', () => {
  it.each([
    ['NOOP', 'NOOP', '', ['']],
    ['goto Lobby|', 'GOTO', 'Lobby|', ['Lobby', '']],
    ['MRTG|users', 'MRTG', 'users', ['users']],
    ['ENT0 0||0|0|||||||||', 'ENT0', '0||0|0|||||||||', ['0', '', '0', '0', '', '', '', '', '', '', '', '', '']],
    ['PASS pass word|x', 'PASS', 'pass word|x', ['pass word', 'x']],
    ['AB', 'AB', '', ['']],
  ])('parses %j', (line, verb, rest, args) => {
    expect(parseCommand(line)).toEqual({ verb, rest, args });
  });

  it.each([['NOOP', true], ['MSG4', true], ['NO\u0000P', false], ['AB', false], ['', false], ['NÖOP', false]])('judges verb %j well-formed: %s', (verb, ok) => {
    expect(isWellFormedVerb(verb)).toBe(ok);
  });

  it.each([[['12'], 0, 12], [['-1'], 0, -1], [[' 7 '], 0, 7], [['x'], 0, undefined], [[''], 0, undefined], [[], 3, undefined], [['1e3'], 0, undefined]])('reads int field %j[%i] as %s', (args, i, n) => {
    expect(intField(args, i)).toBe(n);
  });

  it('cleans a password the way the stock client cleans names', () => {
    expect(cleanLikeName('wrong_pw!')).toBe('wrongpw');
    expect(cleanLikeName('a  b|c@d,e%f')).toBe('a bcdef');
  });
});
