// Room chat: lines are stored as messages in the room (so every protocol sees them) and
// announced with a 'chat' event. The chat sequence number is the message number.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Messages } from '../messages/messages.ts';
import { textOf } from '../messages/place.ts';
import type { Rooms } from '../rooms/rooms.ts';

export interface ChatLine {
  seq: number;
  msgnum: number;
  time: number;
  from: string;
  text: string;
}

const MAX_LINE = 2000;

export function createChat(ctx: Ctx, deps: { messages: Messages; rooms: Rooms }) {
  const { dbs } = ctx.store;
  return {
    /** Say a line in a room's chat; durable on resolve; fires 'chat' and 'placed'. */
    async say(actor: Actor, roomnum: number, text: string): Promise<ChatLine> {
      const line = text.replace(/[\r\n]+/g, ' ').trimEnd();
      if (!line) throw new CoreError('invalid', 'Empty chat line.');
      if (line.length > MAX_LINE) throw new CoreError('too-big', 'Chat line too long.');
      const m = await deps.messages.post(actor, { roomnum, text: line, subject: '', isChat: true });
      const out: ChatLine = { seq: m.msgnum, msgnum: m.msgnum, time: m.time, from: m.authorName, text: line };
      ctx.events.emit('chat', { roomnum, ...out });
      return out;
    },

    /** Chat lines of a room after a sequence number, oldest first (at most limit). */
    since(actor: Actor, roomnum: number, seq: number, limit = 100): ChatLine[] {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const out: ChatLine[] = [];
      for (const key of dbs.roomLists.getKeys({ start: [roomnum, seq + 1], end: [roomnum, Number.MAX_SAFE_INTEGER] })) {
        const msgnum = (key as [number, number])[1];
        const m = dbs.messages.get(msgnum);
        if (!m?.isChat) continue;
        out.push({ seq: msgnum, msgnum, time: m.time, from: m.authorName, text: textOf(ctx, m) });
        if (out.length >= limit) break;
      }
      return out;
    },

    /** The newest chat lines of a room (history on join), oldest first. */
    recent(actor: Actor, roomnum: number, limit = 50): ChatLine[] {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const out: ChatLine[] = [];
      for (const key of dbs.roomLists.getKeys({ start: [roomnum, Number.MAX_SAFE_INTEGER], end: [roomnum, 0], reverse: true })) {
        const msgnum = (key as [number, number])[1];
        const m = dbs.messages.get(msgnum);
        if (!m?.isChat) continue;
        out.push({ seq: msgnum, msgnum, time: m.time, from: m.authorName, text: textOf(ctx, m) });
        if (out.length >= limit) break;
      }
      return out.reverse();
    },

    /** The highest message number now in a room (where a new chatter's polling starts). */
    position(roomnum: number): number {
      return deps.rooms.record(roomnum).highest;
    },

    typing(actor: Actor, roomnum: number): void {
      if (actor.kind === 'user') ctx.events.emit('typing', { roomnum, name: actor.name });
    },
  };
}

export type Chat = ReturnType<typeof createChat>;
