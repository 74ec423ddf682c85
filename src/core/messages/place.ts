// Placements: putting a stored message into rooms, inside a write transaction.
// Every placement bumps the global modseq and is journalled (feeds IMAP CONDSTORE/IDLE).
import type { MessageRecord, RoomRecord } from '../../store/index.ts';
import type { Ctx } from '../context.ts';

export interface Placed { roomnum: number; msgnum: number; modseq: number }

/** Store a new message record and its bytes; the caller places it. */
export function storeMessageInTxn(ctx: Ctx, rec: MessageRecord, raw: Buffer, text: string): void {
  const { dbs } = ctx.store;
  dbs.messages.putSync(rec.msgnum, rec);
  dbs.bodies.putSync(rec.msgnum, raw);
  dbs.texts.putSync(rec.msgnum, text);
  if (rec.messageId && dbs.messageIds.get(rec.messageId) === undefined) dbs.messageIds.putSync(rec.messageId, rec.msgnum);
}

/** Add one placement (idempotent per room) and bump the message's refcount. */
export function placeInTxn(ctx: Ctx, roomnum: number, msgnum: number): Placed | undefined {
  const { store } = ctx;
  const { dbs } = store;
  if (dbs.roomLists.get([roomnum, msgnum])) return undefined;
  const modseq = store.next('modseq');
  dbs.roomLists.putSync([roomnum, msgnum], { arrived: Date.now(), modseq });
  const msg = dbs.messages.get(msgnum)!;
  const next: MessageRecord = { ...msg, refcount: msg.refcount + 1 };
  delete next.deletedAt;
  dbs.messages.putSync(msgnum, next);
  const room = dbs.rooms.get(roomnum) as RoomRecord;
  if (msgnum > room.highest) dbs.rooms.putSync(roomnum, { ...room, highest: msgnum, mtime: Date.now() });
  dbs.journal.putSync(modseq, { roomnum, msgnum, kind: 'placed' });
  return { roomnum, msgnum, modseq };
}

/**
 * Remove one placement. When the last placement goes, the message is kept for the
 * soft-delete window (deletedAt set) and purged later; see messages.purge.
 */
export function unplaceInTxn(ctx: Ctx, roomnum: number, msgnum: number): Placed | undefined {
  const { store } = ctx;
  const { dbs } = store;
  if (!dbs.roomLists.get([roomnum, msgnum])) return undefined;
  dbs.roomLists.removeSync([roomnum, msgnum]);
  const modseq = store.next('modseq');
  const msg = dbs.messages.get(msgnum);
  if (msg) {
    const refcount = Math.max(0, msg.refcount - 1);
    dbs.messages.putSync(msgnum, refcount === 0 ? { ...msg, refcount, deletedAt: Date.now() } : { ...msg, refcount });
  }
  dbs.journal.putSync(modseq, { roomnum, msgnum, kind: 'removed' });
  return { roomnum, msgnum, modseq };
}

/** Delete a message record and its bytes for good (refcount 0 only). */
export function purgeInTxn(ctx: Ctx, msgnum: number): void {
  const { dbs } = ctx.store;
  const msg = dbs.messages.get(msgnum);
  if (!msg || msg.refcount > 0) return;
  dbs.messages.removeSync(msgnum);
  dbs.bodies.removeSync(msgnum);
  dbs.texts.removeSync(msgnum);
  if (msg.messageId && dbs.messageIds.get(msg.messageId) === msgnum) dbs.messageIds.removeSync(msg.messageId);
}
