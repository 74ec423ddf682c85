// Room-list reads by range: gaps of a seen set, counts and the list kinds agree with a plain filter.
import { describe, expect, it } from 'vitest';
import { ranges } from '../../../src/store/index.ts';
import { coreFixture } from '../../helpers/core-fixture.ts';
import { pagedNums } from '../../../src/core/rooms/room-list.ts';

describe('ranges.gaps', () => {
  it('returns what the ranges do not cover within the bounds', () => {
    expect(ranges.gaps([], 0, 10)).toEqual([[0, 10]]);
    expect(ranges.gaps([[0, 10]], 0, 10)).toEqual([]);
    expect(ranges.gaps([[2, 3], [6, 6]], 0, 10)).toEqual([[0, 1], [4, 5], [7, 10]]);
    expect(ranges.gaps([[2, 3], [6, 20]], 4, 10)).toEqual([[4, 5]]);
    expect(ranges.gaps([[12, 15]], 0, 10)).toEqual([[0, 10]]);
  });
});

describe('room lists by range', () => {
  it('counts and lists agree with filtering every placement, with holes in the seen set and rooms on either side', async () => {
    const f = await coreFixture();
    try {
      const { user, actor } = await f.user('reader');
      const before = await f.core.rooms.create(f.system, { name: 'Before', kind: 'public' });
      const room = await f.core.rooms.create(f.system, { name: 'Middle', kind: 'public' });
      const after = await f.core.rooms.create(f.system, { name: 'After', kind: 'public' });
      const nums: number[] = [];
      for (let i = 0; i < 30; i++) {
        await f.core.messages.post(f.system, { roomnum: before.roomnum, subject: `b${i}`, text: 'x' });
        nums.push((await f.core.messages.post(f.system, { roomnum: room.roomnum, subject: `m${i}`, text: 'x' })).msgnum);
        await f.core.messages.post(f.system, { roomnum: after.roomnum, subject: `a${i}`, text: 'x' });
      }
      // seen: the first ten, then every third of the rest
      await f.core.visits.setLastSeen(actor, room.roomnum, nums[9]!);
      const marked = nums.slice(10).filter((_, i) => i % 3 === 0);
      await f.core.visits.setFlag(actor, room.roomnum, marked, 'seen', true);
      const seen = new Set([...nums.slice(0, 10), ...marked]);
      const list = (which: Parameters<typeof f.core.messages.list>[2]) => f.core.messages.list(actor, room.roomnum, which);
      expect(list({ kind: 'all' })).toEqual(nums);
      expect(list({ kind: 'new' })).toEqual(nums.filter((n) => !seen.has(n)));
      expect(list({ kind: 'old' })).toEqual(nums.filter((n) => seen.has(n)));
      expect(list({ kind: 'last', n: 4 })).toEqual(nums.slice(-4));
      expect(list({ kind: 'first', n: 4 })).toEqual(nums.slice(0, 4));
      expect(list({ kind: 'gt', n: nums[20]! })).toEqual(nums.slice(21));
      expect(list({ kind: 'lt', n: nums[5]! })).toEqual(nums.slice(0, 5));
      expect(list({ kind: 'last', n: 0 })).toEqual([]);
      // walk reads the same numbers a page at a time
      const walk = (which: NonNullable<Parameters<typeof f.core.messages.list>[2]>, opts = {}) => [...f.core.messages.walk(actor, room.roomnum, which, opts)];
      for (const which of [{ kind: 'all' }, { kind: 'new' }, { kind: 'old' }, { kind: 'last', n: 4 }, { kind: 'first', n: 4 }, { kind: 'gt', n: nums[20]! }, { kind: 'lt', n: nums[5]! }] as const) {
        expect(walk(which)).toEqual(list(which));
      }
      expect(walk({ kind: 'new' }, { withLastOld: true })).toEqual([Math.max(...seen), ...list({ kind: 'new' })]);
      expect(walk({ kind: 'first', n: 0 })).toEqual([]);
      expect([...pagedNums(f.store.dbs, room.roomnum, 0, undefined, Infinity, 7)]).toEqual(nums);
      expect([...pagedNums(f.store.dbs, room.roomnum, nums[3]!, nums[25]!, 12, 5)]).toEqual(nums.slice(3, 15));
      expect(f.core.rooms.counts(room.roomnum, f.core.visits.find(user.usernum, room.roomnum))).toEqual({ total: 30, unread: 30 - seen.size });
      expect(f.core.rooms.counts(room.roomnum, undefined)).toEqual({ total: 30, unread: 30 });
    } finally {
      await f.close();
    }
  });
});
