// core.messageRanges: span and inRange of a room, with one access check (used by NNTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

let f: Fixture;
let roomnum: number;
let privateRoom: number;
let nums: number[];
beforeAll(async () => {
  f = await coreFixture();
  roomnum = (await f.core.rooms.create(f.system, { name: 'Range', kind: 'public' })).roomnum;
  privateRoom = (await f.core.rooms.create(f.system, { name: 'Closed', kind: 'private-invite' })).roomnum;
  nums = [];
  for (let i = 0; i < 6; i++) nums.push((await f.core.messages.post(f.system, { roomnum, subject: `m${i}`, text: `t${i}` })).msgnum);
  await f.core.messages.post(f.system, { roomnum: privateRoom, subject: 'p', text: 'p' });
});
afterAll(async () => { await f?.close(); });

describe('core messageRanges', () => {
  it('gives count, lowest and highest number of a room, and an empty span for an empty room', async () => {
    const { actor } = await f.user('spanner');
    expect(f.core.messageRanges.span(actor, roomnum)).toEqual({ count: 6, low: nums[0], high: nums[5] });
    const empty = (await f.core.rooms.create(f.system, { name: 'Empty', kind: 'public' })).roomnum;
    expect(f.core.messageRanges.span(actor, empty)).toEqual({ count: 0, low: undefined, high: undefined });
  });

  it('returns the messages in a range in order, and says when there were more than asked', async () => {
    const { actor } = await f.user('ranger');
    const some = f.core.messageRanges.inRange(actor, roomnum, nums[1]!, nums[3]!, 10);
    expect(some).toMatchObject({ count: 3, isTruncated: false });
    expect([...some.messages].map((m) => m.subject)).toEqual(['m1', 'm2', 'm3']);
    const open = f.core.messageRanges.inRange(actor, roomnum, nums[2]!, Infinity, 2);
    expect(open).toMatchObject({ count: 2, isTruncated: true });
    expect([...open.messages].map((m) => m.msgnum)).toEqual([nums[2], nums[3]]);
    const none = f.core.messageRanges.inRange(actor, roomnum, 9, 3, 10);
    expect(none).toMatchObject({ count: 0, isTruncated: false });
    expect([...none.messages]).toEqual([]);
    const numbers = f.core.messageRanges.numbersInRange(actor, roomnum, nums[1]!, Infinity, 3);
    expect(numbers).toMatchObject({ count: 3, isTruncated: true });
    expect([...numbers.nums]).toEqual(nums.slice(1, 4));
  });

  it('answers a room the reader may not read with not-found', async () => {
    const { actor } = await f.user('outsider');
    expect(() => f.core.messageRanges.span(actor, privateRoom)).toThrow(expect.objectContaining({ kind: 'not-found' }));
    expect(() => f.core.messageRanges.inRange(actor, privateRoom, 0, Infinity, 10)).toThrow(expect.objectContaining({ kind: 'not-found' }));
    expect(() => f.core.messageRanges.numbersInRange(actor, privateRoom, 0, Infinity, 10)).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});
