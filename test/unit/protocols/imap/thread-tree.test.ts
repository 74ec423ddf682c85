// RFC 5256 threading on plain items: links, placeholders, subject gathering, ordering, wire form.
import { describe, expect, it } from 'vitest';
import { orderedSubject, references, render, type Item } from '../../../../src/protocols/imap/commands/thread-tree.ts';
import { subjectOf } from '../../../../src/protocols/imap/commands/message-order.ts';

let seq = 0;
function item(id: string | undefined, refs: string[], subject = 'topic', time = 1000 + seq): Item {
  seq += 1;
  return { num: seq, seq, time, subject: subjectOf(subject), id, refs };
}
const wire = (roots: ReturnType<typeof references>) => roots.map((t) => `(${render(t, (n) => n)})`).join('');

describe('REFERENCES threading', () => {
  it('links by References, breaking a loop the message itself would close', () => {
    seq = 0;
    // imaptest "thread": 2 says a > c > 2, then 3 (c) says its parent is 2
    const items = [item('<a>', [], 'x', 3000), item('<b>', ['<a>', '<c>'], 'y', 1000), item('<c>', ['<b>'], 'z', 2000)];
    expect(wire(references(items))).toBe('(3 2)(1)');
  });

  it('keeps a placeholder with several children at the top, and gives way below', () => {
    seq = 0;
    expect(wire(references([item(undefined, ['<gone>'], 'p'), item(undefined, ['<gone>'], 'q')]))).toBe('((1)(2))');
    seq = 0;
    expect(wire(references([item('<a>', [], 'p'), item('<c>', ['<a>', '<gone>'], 'q'), item('<d>', ['<a>', '<gone>'], 'r')]))).toBe('(1 (2)(3))');
  });

  it('gives a duplicate Message-ID a thread of its own', () => {
    seq = 0;
    expect(wire(references([item('<a>', [], 'p'), item('<a>', [], 'q')]))).toBe('(1)(2)');
  });

  it('puts a reply under the original with the same base subject, and siblings under a placeholder', () => {
    seq = 0;
    expect(wire(references([item('<a>', [], 'Lunch'), item('<b>', ['<gone>'], 'Re: lunch')]))).toBe('(1 2)');
    seq = 0;
    expect(wire(references([item('<a>', [], 'Lunch'), item('<b>', [], 'lunch')]))).toBe('((1)(2))');
  });

  it('threads a reply chain thousands deep without running out of stack', () => {
    seq = 0;
    const items = [item('<m0>', [])];
    for (let i = 1; i < 20_000; i++) items.push(item(`<m${i}>`, [`<m${i - 1}>`]));
    const out = wire(references(items));
    expect(out.startsWith('(1 2 3 ')).toBe(true);
    expect(out.endsWith(' 19999 20000)')).toBe(true);
  });
});

describe('ORDEREDSUBJECT threading', () => {
  it('groups by base subject, orders by sent date, and orders threads by their first message', () => {
    seq = 0;
    const items = [item(undefined, [], 'b', 50), item(undefined, [], 'Re: a', 40), item(undefined, [], 'a', 30), item(undefined, [], 'B', 20), item(undefined, [], 'a', 35)];
    expect(wire(orderedSubject(items))).toBe('(4 1)(3 (5)(2))');
  });
});
