// Reading a room's list of message numbers by range, so that what a reader asks about costs
// what it returns: counts are taken by LMDB's cursor in native code, and "new" walks only the
// gaps of the seen set (a reader who is up to date costs almost nothing, however big the room).
import { ranges, type Dbs, type Ranges, type RoomRecord } from '../../store/index.ts';

const TOP = Number.MAX_SAFE_INTEGER;

/** Message numbers placed in the room within [from, to], ascending (or the last `limit`, with reverse). */
export function placedNums(dbs: Dbs, roomnum: number, from = 0, upTo = TOP, opts: { reverse?: boolean; limit?: number } = {}): number[] {
  const out: number[] = [];
  const to = Math.min(upTo, TOP); // a client's "to the end" may be any large number
  if (to < from) return out;
  const keys = dbs.roomLists.getKeys({
    start: opts.reverse ? [roomnum, to] : [roomnum, from],
    end: opts.reverse ? [roomnum, from - 1] : [roomnum, to + 1],
    ...(opts.reverse ? { reverse: true } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
  });
  for (const k of keys) out.push((k as [number, number])[1]);
  return out;
}

/** How many messages are placed in the room within [from, to]. */
export function countPlaced(dbs: Dbs, roomnum: number, from = 0, to = TOP): number {
  if (to < from) return 0;
  return dbs.roomLists.getKeysCount({ start: [roomnum, from], end: [roomnum, to + 1] });
}

/**
 * placedNums over [from, to] ascending, at most `limit`, read a page of keys at a time as the
 * caller iterates: a long listing costs one page per slice of its writer, not one long read.
 */
export function* pagedNums(dbs: Dbs, roomnum: number, from = 0, upTo = TOP, limit = Infinity, page = 1000): Generator<number> {
  let next = from;
  let left = limit;
  while (left > 0) {
    const nums = placedNums(dbs, roomnum, next, upTo, { limit: Math.min(page, left) });
    yield* nums;
    if (nums.length < Math.min(page, left)) return;
    left -= nums.length;
    next = nums[nums.length - 1]! + 1;
  }
}

/** Placed messages not in `seen`, ascending, paged as pagedNums. */
export function* pagedUnseenNums(dbs: Dbs, roomnum: number, seen: Ranges): Generator<number> {
  for (const [a, b] of ranges.gaps(seen, 0, TOP)) yield* pagedNums(dbs, roomnum, a, b);
}

/** Placed messages in `seen`, ascending, paged as pagedNums. */
export function* pagedSeenNums(dbs: Dbs, roomnum: number, seen: Ranges): Generator<number> {
  for (const [a, b] of seen) yield* pagedNums(dbs, roomnum, a, b);
}

/** The highest placed message in `seen` (the last old one), without listing the others. */
export function lastSeenNum(dbs: Dbs, roomnum: number, seen: Ranges): number | undefined {
  for (let i = seen.length - 1; i >= 0; i--) {
    const [a, b] = seen[i]!;
    const [n] = placedNums(dbs, roomnum, a, b, { reverse: true, limit: 1 });
    if (n !== undefined) return n;
  }
  return undefined;
}

/** Placed messages not in `seen`, ascending. */
export function unseenNums(dbs: Dbs, roomnum: number, seen: Ranges): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges.gaps(seen, 0, TOP)) out.push(...placedNums(dbs, roomnum, a, b));
  return out;
}

/** Placed messages in `seen`, ascending. */
export function seenNums(dbs: Dbs, roomnum: number, seen: Ranges): number[] {
  const out: number[] = [];
  for (const [a, b] of seen) out.push(...placedNums(dbs, roomnum, a, b));
  return out;
}

/** Total (the room's stored count) and unread placements of a room for a reader's seen set. */
export function roomCounts(dbs: Dbs, room: RoomRecord, seen: Ranges): { total: number; unread: number } {
  if (seen.length === 0) return { total: room.count, unread: room.count };
  let unread = 0;
  for (const [a, b] of ranges.gaps(seen, 0, TOP)) unread += countPlaced(dbs, room.roomnum, a, b);
  return { total: room.count, unread };
}
