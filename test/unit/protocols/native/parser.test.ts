// The native parser and line framing: verb from the first four characters, `|` fields, limits.
import { describe, expect, it } from 'vitest';
import { cleanLikeName, intField, isWellFormedVerb, parseCommand } from '../../../../src/protocols/native/parser.ts';
import { LineReader } from '../../../../src/protocols/native/line-reader.ts';

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

describe('native LineReader', () => {
  it('splits LF and CRLF lines across chunks', () => {
    const r = new LineReader(100);
    expect(r.push(Buffer.from('NO'))).toEqual([]);
    expect(r.push(Buffer.from('OP\r\nINFO\nGOTO'))).toEqual([{ kind: 'line', text: 'NOOP' }, { kind: 'line', text: 'INFO' }]);
    expect(r.pending).toBe(4);
    expect(r.push(Buffer.from(' x\n'))).toEqual([{ kind: 'line', text: 'GOTO x' }]);
  });

  it('reports an overlong line once and recovers at the next LF', () => {
    const r = new LineReader(10);
    expect(r.push(Buffer.from('x'.repeat(8)))).toEqual([]);
    expect(r.push(Buffer.from('y'.repeat(20)))).toEqual([]);
    expect(r.push(Buffer.from('z\nNOOP\n'))).toEqual([{ kind: 'overlong', length: 29 }, { kind: 'line', text: 'NOOP' }]);
  });

  it('accepts a line of exactly the limit, with or without CR', () => {
    const r = new LineReader(4);
    expect(r.push(Buffer.from('NOOP\r\nNOOP\nNOOPS\n'))).toEqual([{ kind: 'line', text: 'NOOP' }, { kind: 'line', text: 'NOOP' }, { kind: 'overlong', length: 5 }]);
  });

  it('forgets a partial line on reset', () => {
    const r = new LineReader(10);
    r.push(Buffer.from('USER adm'));
    r.reset();
    expect(r.push(Buffer.from('in\n'))).toEqual([{ kind: 'line', text: 'in' }]);
  });
});
