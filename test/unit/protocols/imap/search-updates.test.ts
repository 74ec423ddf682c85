// An updating search (RFC 5267 §4.3) that can no longer be evaluated must not go quietly stale:
// the failure is reported to the session's logger, the context is dropped, and the client hears
// an untagged NO [NOUPDATE "tag"] (RFC 5267 §4.3.1) while other contexts carry on.
import { describe, expect, it, vi } from 'vitest';
import { SearchUpdates } from '../../../../src/protocols/imap/search-updates.ts';

const id = (n: number) => n;

describe('updating searches', () => {
  it('drops a context whose search fails, says NOUPDATE and reports the error, keeping the others', () => {
    const u = new SearchUpdates();
    const failure = new Error('room gone');
    const onError = vi.fn();
    u.add({ tag: 'bad', isUid: false, result: [1], evaluate: () => { throw failure; }, onError });
    u.add({ tag: 'good', isUid: false, result: [], evaluate: (only) => new Set(only) });
    const lines = u.refresh(new Set([2]), id);
    expect(lines).toEqual([
      '* NO [NOUPDATE "bad"] Updates of this search have stopped\r\n',
      '* ESEARCH (TAG "good") ADDTO (0 2)\r\n',
    ]);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(u.has('bad')).toBe(false);
    expect(u.has('good')).toBe(true);
    // once dropped, nothing more is said about it
    expect(u.refresh(new Set([3]), id)).toEqual(['* ESEARCH (TAG "good") ADDTO (0 3)\r\n']);
  });
});
