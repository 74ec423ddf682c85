// Reading one room by message-number range for one reader (NNTP GROUP, LIST, OVER, HDR): one access
// check per call, then the room list and message metadata only, never the bodies.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Rooms } from '../rooms/rooms.ts';
import { toMessage, type Message } from './message.ts';
import { placedNums } from '../rooms/room-list.ts';

export interface RoomSpan {
  count: number;
  /** lowest and highest message number placed in the room; undefined when it is empty */
  low: number | undefined;
  high: number | undefined;
}

export function createMessageRanges(ctx: Ctx, deps: { rooms: Rooms }) {
  const { dbs } = ctx.store;
  const requireRead = (actor: Actor, roomnum: number) => {
    if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
  };
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
     * checked once. `isTruncated` says more were there, so a caller can refuse rather than cut.
     */
    inRange(actor: Actor, roomnum: number, from: number, to: number, max: number): { messages: Message[]; isTruncated: boolean } {
      requireRead(actor, roomnum);
      const nums = placedNums(dbs, roomnum, from, to, { limit: max + 1 });
      const messages: Message[] = [];
      for (const n of nums.slice(0, max)) {
        const rec = dbs.messages.get(n);
        if (rec && rec.refcount > 0) messages.push(toMessage(rec));
      }
      return { messages, isTruncated: nums.length > max };
    },
  };
}

export type MessageRanges = ReturnType<typeof createMessageRanges>;
