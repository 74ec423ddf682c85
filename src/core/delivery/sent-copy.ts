// One Sent copy, not two. A mail client that sent through submission saves its own copy in
// Sent by IMAP APPEND; where the server saved one too (native and web mail always do,
// submission with KEEP_SUBMISSION_SAVE_SENT), the client's copy replaces the server's when its
// Message-ID matches a message placed in that Sent room within the last hour.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import type { Message } from '../messages/message.ts';
import type { Rooms } from '../rooms/rooms.ts';
import { unplaceInTxn } from '../messages/place.ts';

export const SENT_COPY_WINDOW_MS = 3600 * 1000;

export function createSentCopies(ctx: Ctx, deps: { rooms: Rooms }) {
  const { store } = ctx;
  const { dbs } = store;
  return {
    /**
     * After `appended` was stored in `roomnum` by the actor: when that room is the actor's Sent
     * mailbox and holds an earlier message with the same Message-ID placed within the window,
     * remove that earlier placement, unless it is in `sameAppend` (the other messages the client
     * appended with it). Durable on resolve; fires 'removed'. Returns its msgnum.
     */
    async replaceServerCopy(actor: Actor, roomnum: number, appended: Message, now = Date.now(), sameAppend: ReadonlySet<number> = new Set()): Promise<number | undefined> {
      if (actor.kind !== 'user' || !appended.messageId) return undefined;
      if (deps.rooms.mailbox(actor.usernum, 'sent').roomnum !== roomnum) return undefined;
      const earlier = dbs.messageIds.get(appended.messageId);
      // another message of the same APPEND (MULTIAPPEND) is the client's too, not the server's copy
      if (earlier === undefined || earlier === appended.msgnum || sameAppend.has(earlier)) return undefined;
      const placement = dbs.roomLists.get([roomnum, earlier]);
      if (!placement || now - placement.arrived > SENT_COPY_WINDOW_MS) return undefined;
      const removed = await store.write(() => unplaceInTxn(ctx, roomnum, earlier));
      if (!removed) return undefined;
      ctx.events.emit('removed', removed);
      ctx.log.info({ user: actor.name, msgnum: earlier, replacedBy: appended.msgnum }, "the client's Sent copy replaced the server's");
      return earlier;
    },
  };
}

export type SentCopies = ReturnType<typeof createSentCopies>;
