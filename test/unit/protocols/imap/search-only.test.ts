// An updating search (CONTEXT=SEARCH) looks again at the messages that changed after each
// update; on a big mailbox that must cost as many looks as messages changed, not the whole view.
import { describe, expect, it, vi } from 'vitest';
import { search, searchAmong } from '../../../../src/protocols/imap/commands/search.ts';
import type { Selected } from '../../../../src/protocols/imap/commands/types.ts';

const SIZE = 100_000;

function selected() {
  const nums = Array.from({ length: SIZE }, (_, i) => i + 1);
  const isExpunged = vi.fn((_n: number) => false);
  const box = { room: { roomnum: 7 }, nums, uids: nums, exists: SIZE, isExpunged, seqOf: (n: number) => (n >= 1 && n <= SIZE ? n : 0) };
  const visit = { seen: [[1, SIZE]], answered: [], flagged: [], deleted: [], draft: [], keywords: {} };
  const core = { visits: { get: () => visit }, rooms: { access: () => ({ canRead: true }) } };
  return { s: { box, core, actor: { kind: 'user', usernum: 1 } } as unknown as Selected, isExpunged };
}

describe('search among changed messages', () => {
  it('answers in sequence order and looks only at the messages asked about', () => {
    const { s, isExpunged } = selected();
    expect(searchAmong(s, { k: 'flag', flag: 'seen', isOn: true } as never, new Set([90_000, 5, 70_000, SIZE + 1]))).toEqual([5, 70_000, 90_000]);
    expect(isExpunged.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('still looks at every message without such a set', async () => {
    const { s, isExpunged } = selected();
    expect(await search(s, { k: 'all' } as never)).toHaveLength(SIZE);
    expect(isExpunged).toHaveBeenCalledTimes(SIZE);
  });
});
