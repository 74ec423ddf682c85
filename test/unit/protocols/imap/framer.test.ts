// IMAP framing: lines, synchronising and LITERAL+ literals across chunk boundaries, limits.
import { describe, expect, it } from 'vitest';
import { Framer, type FramerEvent } from '../../../../src/protocols/imap/framer.ts';

const framer = () => new Framer({ maxLine: 100, maxLiteral: (first) => (/ APPEND /i.test(first) ? 1000 : 50) });
const kinds = (evs: FramerEvent[]) => evs.map((e) => (e.kind === 'frame' ? `frame:${e.frame.lines.join('|')}:${e.frame.literals.map(String).join('|')}` : e.kind === 'literal-too-big' ? `too-big:${e.tag}:${e.size}:${e.isSync}` : e.kind));

describe('IMAP Framer', () => {
  it('frames CRLF and bare LF lines, several per chunk and split across chunks', () => {
    const f = framer();
    expect(kinds(f.push(Buffer.from('a NOOP\r\nb NO')))).toEqual(['frame:a NOOP:']);
    expect(kinds(f.push(Buffer.from('OP\nc')))).toEqual(['frame:b NOOP:']);
    expect(kinds(f.push(Buffer.from(' X\r\n')))).toEqual(['frame:c X:']);
  });

  it('asks for a synchronising literal and reads its bytes exactly', () => {
    const f = framer();
    expect(kinds(f.push(Buffer.from('a LOGIN {5}\r\n')))).toEqual(['continue']);
    expect(kinds(f.push(Buffer.from('al')))).toEqual([]);
    expect(kinds(f.push(Buffer.from('ice {2+}\r\n\r\n')))).toEqual([]);
    expect(kinds(f.push(Buffer.from('\r\n')))).toEqual(['frame:a LOGIN {5}| {2+}|:alice|\r\n']);
  });

  it('takes LITERAL+ without a continuation', () => {
    const f = framer();
    expect(kinds(f.push(Buffer.from('a LOGIN {3+}\r\nabc pw\r\n')))).toEqual(['frame:a LOGIN {3+}| pw:abc']);
  });

  it('refuses literals over the limit by command, before reading them', () => {
    const f = framer();
    expect(kinds(f.push(Buffer.from('a LOGIN {51}\r\n')))).toEqual(['too-big:a:51:true']);
    expect(kinds(f.push(Buffer.from('b APPEND INBOX {900}\r\n')))).toEqual(['continue']);
    const g = framer();
    expect(kinds(g.push(Buffer.from('c APPEND INBOX {1001+}\r\n')))).toEqual(['too-big:c:1001:false']);
  });

  it('reports a line over the limit, with or without its newline', () => {
    expect(kinds(framer().push(Buffer.from('x'.repeat(101))))).toEqual(['line-too-long']);
    expect(kinds(framer().push(Buffer.from(`${'x'.repeat(150)}\r\n`)))).toEqual(['line-too-long']);
  });

  it('keeps binary literal bytes and latin1 line bytes intact', () => {
    const f = framer();
    const lit = Buffer.from([0, 255, 13, 10, 128]);
    const evs = f.push(Buffer.concat([Buffer.from('a APPEND INBOX {5+}\r\n'), lit, Buffer.from('\r\n')]));
    expect(evs).toHaveLength(1);
    const e = evs[0]!;
    expect(e.kind === 'frame' && e.frame.literals[0]!.equals(lit)).toBe(true);
  });
});

describe('IMAP Framer on random bytes', () => {
  it('never throws and never frames more than it was given', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const f = framer();
      let given = 0;
      let framed = 0;
      for (let c = 0; c < 10; c++) {
        const chunk = Buffer.alloc(rand(80));
        for (let k = 0; k < chunk.length; k++) chunk[k] = [10, 13, 123, 125, 43, 48, 53, 32, 65][rand(9)]!;
        given += chunk.length;
        for (const ev of f.push(chunk)) {
          if (ev.kind === 'frame') framed += ev.frame.lines.join('').length + ev.frame.literals.reduce((s, l) => s + l.length, 0);
          if (ev.kind === 'line-too-long') break;
        }
      }
      expect(framed).toBeLessThanOrEqual(given);
    }
  });
});
