import { describe, expect, it } from 'vitest';
import { sortInTurns } from '../../../../src/protocols/imap/commands/sort-in-turns.ts';

describe('sortInTurns', () => {
  it.each([0, 1, 2047, 2048, 2049, 10_000])('sorts %i rows as Array.prototype.sort does, pausing between runs', async (n) => {
    let seed = n + 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 500;
    const rows = Array.from({ length: n }, (_, seq) => ({ key: rand(), seq }));
    const cmp = (a: { key: number; seq: number }, b: { key: number; seq: number }) => a.key - b.key;
    let pauses = 0;
    const sorted = await sortInTurns(rows, cmp, () => { pauses++; });
    expect(sorted).toEqual([...rows].sort(cmp));
    if (n > 2048) expect(pauses).toBeGreaterThan(1);
  });
});
