// FETCH data items: BINARY, BINARY.PEEK and BINARY.SIZE (RFC 3516 §4.2) beside BODY sections.
import { describe, expect, it } from 'vitest';
import { parseFetchItems } from '../../../../src/protocols/imap/commands/fetch-items.ts';

const atom = (v: string) => ({ t: 'atom' as const, v });

describe('IMAP FETCH items: BINARY', () => {
  it.each([
    ['BINARY[]', { k: 'binary', isPeek: false, path: [], label: 'BINARY[]' }],
    ['binary.peek[1.2]', { k: 'binary', isPeek: true, path: [1, 2], label: 'BINARY[1.2]' }],
    ['BINARY[3]<10.5>', { k: 'binary', isPeek: false, path: [3], label: 'BINARY[3]<10>', partial: { start: 10, length: 5 } }],
    ['BINARY.SIZE[2]', { k: 'binary-size', path: [2], label: 'BINARY.SIZE[2]' }],
  ])('parses %s', (raw, want) => {
    expect(parseFetchItems(atom(raw))).toEqual([want]);
  });

  it.each([
    ['BINARY[HEADER]', /Invalid binary section/],
    ['BINARY[1.TEXT]', /Invalid binary section/],
    ['BINARY[0]', /Invalid binary section/],
    ['BINARY.SIZE[1]<0.3>', /takes no partial/],
    ['BINARY[1]<0.0>', /non-zero length/],
  ])('refuses %s', (raw, msg) => {
    expect(() => parseFetchItems(atom(raw))).toThrow(msg);
  });
});
