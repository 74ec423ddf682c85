// Copy and move between rooms (IMAP COPY/MOVE, native MOVE): one more placement when the message
// is newer than everything the target room held, else the same bytes under a new number.
import type { MessageRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { CoreError } from '../errors.ts';
import { placeInTxn, storeMessageInTxn, unplaceInTxn, type Placed } from './place.ts';
import type { MessageContext } from './context.ts';
import type { Reading } from './read.ts';

export function createCopying(mc: MessageContext, reading: Reading) {
  const { ctx, deps, store, dbs, emitPlaced, requirePost, accountOf, isOwnMailbox } = mc;

  /**
   * The author rule holds for copies too: a message the actor appended freely to their own
   * mailbox (a draft with any From) goes into a room others read only if its From is theirs.
   */
  const refuseForgedInto = (actor: Actor, to: number, msgnums: number[]) => {
    if (actor.kind !== 'user' || isOwnMailbox(actor, to)) return;
    const account = accountOf(actor);
    for (const n of msgnums) {
      const rec = dbs.messages.get(n);
      const from = rec?.envelope.from[0]?.address;
      if (rec?.authorUser === actor.usernum && from && !account.owns(from)) {
        ctx.log.warn({ user: actor.name, address: from, way: 'copy' }, 'refused a From that is not the account\'s');
        throw new CoreError('forbidden', `From: ${from} is not one of your addresses.`);
      }
    }
  };

  /** The same message under a new number, placed in one room (copy into a room that has newer ones). */
  function cloneInTxn(msgnum: number, roomnum: number): Placed[] {
    const rec = dbs.messages.get(msgnum)!;
    const num = store.next('nextMessage');
    const copy: MessageRecord = { ...rec, msgnum: num, refcount: 0 };
    delete copy.deletedAt;
    delete copy.removedFrom;
    return storeMessageInTxn(ctx, copy, dbs.bodies.get(msgnum) ?? Buffer.alloc(0), dbs.texts.get(msgnum) ?? '', [roomnum]);
  }

  return {
    /**
     * Copy (or move) messages to a room the actor may post in. A message newer than
     * everything the room ever held keeps its number (single instance: one more placement);
     * an older one becomes a new message with the same bytes under a new number, so message
     * numbers in a room only grow (NNTP article numbers). Into the same room, a copy is a new
     * message and a move gives the message a new number and placement there (IMAP MOVE renumbers).
     * Returns each message's number in the target room and its placement number there (its
     * UID). The actor's flags go with each copy, and a move clears them on the originals.
     * Durable on resolve; fires 'placed' (and 'removed' for a move).
     */
    async copy(actor: Actor, from: number, to: number, msgnums: number[], opts: { isMove?: boolean } = {}): Promise<{ msgnum: number; copied: boolean; newMsgnum: number; uid: number }[]> {
      const list = new Set(reading.list(actor, from));
      for (const n of msgnums) if (!list.has(n)) throw new CoreError('not-found', `Message ${n} was not found in this room.`);
      requirePost(actor, to);
      refuseForgedInto(actor, to, msgnums);
      if (opts.isMove) {
        const access = deps.rooms.access(actor, from);
        const allAuthor = msgnums.every((n) => actor.kind === 'user' && dbs.messages.get(n)?.authorUser === actor.usernum);
        if (!access.canDelete && !allAuthor) throw new CoreError('forbidden', 'Higher access required to move messages out of this room.');
      }
      const fromRoom = deps.rooms.record(from);
      const toRoom = deps.rooms.record(to);
      // a copy adds to the target owner's quota; a move between one user's own mailboxes does not
      const isSameOwner = fromRoom.kind === 'mailbox' && toRoom.kind === 'mailbox' && fromRoom.owners.join() === toRoom.owners.join();
      const ascending = [...msgnums].sort((a, b) => a - b);
      const { results, removed, flagModseq } = await store.write(() => {
        // in the write, where writes run one at a time: two copies at once cannot both fit
        if (!(opts.isMove && isSameOwner)) deps.quota?.checkRooms([to], msgnums.reduce((sum, n) => sum + (dbs.messages.get(n)?.size ?? 0), 0));
        const results = new Map<number, { newMsgnum: number; uid: number; placed?: Placed }>();
        for (const n of ascending) {
          const there = from !== to ? dbs.roomLists.get([to, n]) : undefined;
          if (there) {
            results.set(n, { newMsgnum: n, uid: there.uid ?? n });
            continue;
          }
          const isNewest = n > (dbs.rooms.get(to)?.highest ?? 0);
          if (isNewest) {
            const placed = placeInTxn(ctx, to, n)!;
            results.set(n, { newMsgnum: n, uid: placed.uid, placed });
            continue;
          }
          const [placed] = cloneInTxn(n, to);
          results.set(n, { newMsgnum: placed!.msgnum, uid: placed!.uid, placed: placed! });
        }
        // the actor's flags go with the copies, in this same write: one commit per command
        const flagModseq = actor.kind === 'user'
          ? deps.visits.carryFlagsInTxn(actor.usernum, from, to, ascending.map((n) => ({ msgnum: n, newMsgnum: results.get(n)!.newMsgnum })))
          : 0;
        const removed = opts.isMove ? msgnums.map((n) => unplaceInTxn(ctx, from, n)) : [];
        if (opts.isMove && actor.kind === 'user') deps.visits.forgetOwnFlagsInTxn(actor.usernum, from, msgnums);
        if (opts.isMove) deps.audit.recordInTxn(actor, 'message.move', fromRoom.name, { to: toRoom.name, msgnums });
        return { results, removed, flagModseq };
      });
      emitPlaced([...results.values()].map((r) => r.placed));
      if (flagModseq && actor.kind === 'user') {
        ctx.events.emit('flags', { usernum: actor.usernum, roomnum: to, msgnums: ascending.map((n) => results.get(n)!.newMsgnum), modseq: flagModseq });
      }
      for (const p of removed) if (p) ctx.events.emit('removed', p);
      return msgnums.map((n) => ({ msgnum: n, copied: results.get(n)?.placed !== undefined, newMsgnum: results.get(n)!.newMsgnum, uid: results.get(n)!.uid }));
    },
  };
}
