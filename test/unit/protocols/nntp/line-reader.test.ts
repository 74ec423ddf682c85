import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../../src/protocols/nntp/line-reader.ts';

const lines = (r: LineReader, ...chunks: string[]) => chunks.flatMap((c) => r.push(Buffer.from(c))).map((l) => (l.isTooLong ? '<too long>' : l.bytes.toString()));

describe('NNTP LineReader', () => {
  it('splits CRLF and bare LF lines across chunks', () => {
    expect(lines(new LineReader(100), 'AR', 'TICLE 1\r', '\nDATE\nQU', 'IT\r\n')).toEqual(['ARTICLE 1', 'DATE', 'QUIT']);
  });

  it('reports an overlong line once, without its bytes, and goes on', () => {
    const r = new LineReader(10);
    expect(lines(r, 'x'.repeat(25), 'y'.repeat(25), '\r\nok\r\n')).toEqual(['<too long>', 'ok']);
  });

  it('accepts a line of exactly the limit', () => {
    expect(lines(new LineReader(5), '12345\r\n123456\r\n')).toEqual(['12345', '<too long>']);
  });
});
