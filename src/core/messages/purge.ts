// Removing messages from rooms (audited) and purging those whose last placement went longer
// ago than the soft-delete window.
import type { Actor } from '../actor.ts';
import { actorLabel, isAide } from '../actor.ts';
import { CoreError } from '../errors.ts';
import { purgeInTxn, unplaceInTxn, type Placed } from './place.ts';
import type { MessageContext } from './context.ts';

/** message records read per turn when purge looks for messages past the soft-delete window */
const PURGE_SCAN_CHUNK = 5000;

export function createPurging(mc: MessageContext) {
  const { ctx, deps, store, dbs } = mc;

  return {
    /**
     * Remove messages from a room: room aides and aides anywhere, owners in their own
     * mailboxes, authors their own posts. The message goes with its last placement
     * (kept for the soft-delete window), and the actor's own flags on it with it, in the same
     * write. Audited; fires 'removed'. Returns how many went.
     */
    async removeFromRoom(actor: Actor, roomnum: number, msgnums: number[]): Promise<number> {
      const access = deps.rooms.access(actor, roomnum);
      if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      for (const n of msgnums) {
        const rec = dbs.messages.get(n);
        const isAuthor = actor.kind === 'user' && rec?.authorUser === actor.usernum;
        if (!access.canDelete && !isAuthor) throw new CoreError('forbidden', 'Higher access required to delete this message.');
      }
      const room = deps.rooms.record(roomnum);
      const removed = await store.write(() => {
        const out = msgnums.map((n) => unplaceInTxn(ctx, roomnum, n)).filter((p): p is Placed => p !== undefined);
        if (out.length) deps.audit.recordInTxn(actor, 'message.delete', room.name, { msgnums: out.map((p) => p.msgnum) });
        if (actor.kind === 'user') deps.visits.forgetOwnFlagsInTxn(actor.usernum, roomnum, out.map((p) => p.msgnum));
        return out;
      });
      for (const p of removed) ctx.events.emit('removed', p);
      return removed.length;
    },

    /** Purge messages whose last placement went more than the window ago. Returns how many. */
    async purge(actor: Actor, now = Date.now(), scanChunk = PURGE_SCAN_CHUNK): Promise<number> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      const due: number[] = [];
      // scanned in chunks with a turn of the event loop between them: a store of millions of
      // messages must not stall the worker past its heartbeat once an hour
      for (let from = 0, isDone = false; !isDone;) {
        isDone = true;
        for (const { key, value } of dbs.messages.getRange({ start: from, limit: scanChunk })) {
          if (value.refcount === 0 && value.deletedAt && now - value.deletedAt >= ctx.settings.softDeleteMs) due.push(key);
          from = key + 1;
          isDone = false;
        }
        if (!isDone) await new Promise((r) => setImmediate(r));
      }
      if (due.length === 0) return 0;
      return store.write(() => {
        // checked again: a message restored and deleted anew during the scan has a new window
        const purged = due.filter((n) => {
          const m = dbs.messages.get(n);
          return m !== undefined && m.refcount === 0 && m.deletedAt !== undefined && now - m.deletedAt >= ctx.settings.softDeleteMs;
        });
        purged.forEach((n) => purgeInTxn(ctx, n));
        if (purged.length) ctx.log.info({ count: purged.length, actor: actorLabel(actor) }, 'purged deleted messages');
        return purged.length;
      });
    },
  };
}
