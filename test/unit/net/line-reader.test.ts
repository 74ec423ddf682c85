// Line framing shared by the native and NNTP translators.
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../src/net/line-reader.ts';

const lines = (r: LineReader, ...chunks: string[]) => chunks.flatMap((c) => r.push(Buffer.from(c))).map((l) => (l.isTooLong ? `<too long: ${l.length}>` : l.bytes.toString()));

describe('LineReader', () => {
  it('splits LF and CRLF lines across chunks', () => {
    const r = new LineReader(100);
    expect(lines(r, 'NO')).toEqual([]);
    expect(lines(r, 'OP\r\nINFO\nGOTO')).toEqual(['NOOP', 'INFO']);
    expect(r.pending).toBe(4);
    expect(lines(r, ' x\n')).toEqual(['GOTO x']);
    expect(lines(new LineReader(100), 'AR', 'TICLE 1\r', '\nDATE\nQU', 'IT\r\n')).toEqual(['ARTICLE 1', 'DATE', 'QUIT']);
  });

  it('reports an overlong line once, without its bytes, and recovers at the next LF', () => {
    const r = new LineReader(10);
    expect(lines(r, 'x'.repeat(8), 'y'.repeat(20), 'z\nNOOP\n')).toEqual(['<too long: 29>', 'NOOP']);
    expect(lines(new LineReader(10), 'x'.repeat(25), 'y'.repeat(25), '\r\nok\r\n')).toEqual(['<too long: 51>', 'ok']);
  });

  it('accepts a line of exactly the limit, with or without CR', () => {
    expect(lines(new LineReader(4), 'NOOP\r\nNOOP\nNOOPS\n')).toEqual(['NOOP', 'NOOP', '<too long: 5>']);
  });

  it('forgets a partial line on reset', () => {
    const r = new LineReader(10);
    r.push(Buffer.from('USER adm'));
    r.reset();
    expect(lines(r, 'in\n')).toEqual(['in']);
  });
});
