// Reading one room by message-number range for one reader (NNTP GROUP, LIST, OVER, HDR): one access
// check per call, then the room list and message metadata only, never the bodies.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Rooms } from '../rooms/rooms.ts';
import { toMessage, type Message } from './message.ts';
import { countPlaced, pagedNums, placedNums } from '../rooms/room-list.ts';

export interface RoomSpan {
  count: number;
  /** lowest and highest message number placed in the room; undefined when it is empty */
  low: number | undefined;
  high: number | undefined;
}

export function createMessageRanges(ctx: Ctx, deps: { rooms: Rooms }) {
  const { dbs } = ctx.store;
  /** Up to `limit` live messages of a room from..to, a page of keys at a time (see inRange). */
  function* readRange(roomnum: number, from: number, to: number, limit: number): Generator<Message> {
    for (const n of pagedNums(dbs, roomnum, from, to, limit)) {
      const rec = dbs.messages.get(n);
      if (rec && rec.refcount > 0) yield toMessage(rec);
    }
  }
  const requireRead = (actor: Actor, roomnum: number) => {
    if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
  };
  function numbersInRange(actor: Actor, roomnum: number, from: number, to: number, max: number): { count: number; isTruncated: boolean; nums: Iterable<number> } {
    requireRead(actor, roomnum);
    const placed = countPlaced(dbs, roomnum, from, Math.min(to, Number.MAX_SAFE_INTEGER));
    const count = Math.min(placed, max);
    return { count, isTruncated: placed > max, nums: pagedNums(dbs, roomnum, from, to, count) };
  }
  return {
    /** How many messages a room holds and its lowest and highest number; read access checked. */
    span(actor: Actor, roomnum: number): RoomSpan {
      requireRead(actor, roomnum);
      const { count } = deps.rooms.record(roomnum);
      if (count === 0) return { count, low: undefined, high: undefined };
      const [low] = placedNums(dbs, roomnum, 0, undefined, { limit: 1 });
      const [high] = placedNums(dbs, roomnum, 0, undefined, { reverse: true, limit: 1 });
      return { count, low, high };
    },

    /**
     * The messages of a room numbered from..to (inclusive), ascending, at most `max`; read access
     * checked once, here. `count` and `isTruncated` are known at once (a key count), so a caller
     * can refuse rather than cut; the messages are read as the caller iterates, a page of keys at
     * a time, so a long range can be rendered in slices between which others take turns.
     */
    inRange(actor: Actor, roomnum: number, from: number, to: number, max: number): { count: number; isTruncated: boolean; messages: Iterable<Message> } {
      const { count, isTruncated } = numbersInRange(actor, roomnum, from, to, max);
      return { count, isTruncated, messages: readRange(roomnum, from, to, count) };
    },

    /** As inRange, the message numbers only (NNTP LISTGROUP). */
    numbersInRange,
  };
}

export type MessageRanges = ReturnType<typeof createMessageRanges>;
