// Reading one room by message-number range for one reader (NNTP GROUP, LIST, OVER, HDR): one access
// check per call, then the room list and message metadata only, never the bodies.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Rooms } from '../rooms/rooms.ts';
import { toMessage, type Message } from './message.ts';

export interface RoomSpan {
  count: number;
  /** lowest and highest message number placed in the room; undefined when it is empty */
  low: number | undefined;
  high: number | undefined;
}

const TOP = Number.MAX_SAFE_INTEGER;

export function createMessageRanges(ctx: Ctx, deps: { rooms: Rooms }) {
  const { dbs } = ctx.store;
  const requireRead = (actor: Actor, roomnum: number) => {
    if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
  };
  const firstNum = (keys: Iterable<unknown>): number | undefined => {
    for (const k of keys) return (k as [number, number])[1];
    return undefined;
  };
  return {
    /** How many messages a room holds and its lowest and highest number; read access checked. */
    span(actor: Actor, roomnum: number): RoomSpan {
      requireRead(actor, roomnum);
      const count = dbs.roomLists.getKeysCount({ start: [roomnum, 0], end: [roomnum, TOP] });
      if (count === 0) return { count, low: undefined, high: undefined };
      const low = firstNum(dbs.roomLists.getKeys({ start: [roomnum, 0], end: [roomnum, TOP], limit: 1 }));
      const high = firstNum(dbs.roomLists.getKeys({ start: [roomnum, TOP], end: [roomnum, 0], reverse: true, limit: 1 }));
      return { count, low, high };
    },

    /**
     * The messages of a room numbered from..to (inclusive), ascending, at most `max`; read access
     * checked once. `isTruncated` says more were there, so a caller can refuse rather than cut.
     */
    inRange(actor: Actor, roomnum: number, from: number, to: number, max: number): { messages: Message[]; isTruncated: boolean } {
      requireRead(actor, roomnum);
      const messages: Message[] = [];
      if (to < from) return { messages, isTruncated: false };
      const end = Math.min(to, TOP - 1) + 1;
      for (const key of dbs.roomLists.getKeys({ start: [roomnum, from], end: [roomnum, end] })) {
        if (messages.length >= max) return { messages, isTruncated: true };
        const rec = dbs.messages.get((key as [number, number])[1]);
        if (rec && rec.refcount > 0) messages.push(toMessage(rec));
      }
      return { messages, isTruncated: false };
    },
  };
}

export type MessageRanges = ReturnType<typeof createMessageRanges>;
