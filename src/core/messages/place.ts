// Placements: putting a stored message into rooms, inside a write transaction.
// Every placement bumps the global modseq and is journalled (feeds IMAP CONDSTORE/IDLE).
import type { MessageRecord, RoomRecord } from '../../store/index.ts';
import type { Ctx } from '../context.ts';
import { indexMessageIdInTxn, unindexMessageIdInTxn } from './message-ids.ts';

export interface Placed { roomnum: number; msgnum: number; modseq: number; uid: number }

/**
 * Meta key of the bytes of the messages placed in a mailbox room (each placement counts; quotas
 * add them up). Kept for mailbox rooms only: no quota counts a forum or chat room.
 */
export const roomBytesKey = (roomnum: number): string => `roomBytes/${roomnum}`;

/**
 * The bytes of the messages placed in a room: as kept beside the room, or, for a room stored
 * before they were kept (or restored without them), summed from its room list.
 */
export function roomBytesOf(ctx: Ctx, roomnum: number): number {
  const { dbs } = ctx.store;
  const stored = dbs.meta.get(roomBytesKey(roomnum));
  if (typeof stored === 'number') return stored;
  let bytes = 0;
  for (const [, msgnum] of dbs.roomLists.getKeys({ start: [roomnum, 0], end: [roomnum, Number.MAX_SAFE_INTEGER] }) as Iterable<[number, number]>) {
    bytes += dbs.messages.get(msgnum)?.size ?? 0;
  }
  return bytes;
}

/** Meta key of a room's placement counter (the next IMAP UID of the room). */
export const uidNextKey = (roomnum: number): string => `uidNext/${roomnum}`;

/**
 * A room's next placement number. A room that never had a counter (stored before placements
 * were numbered per room) continues above its highest message number, which its older
 * placements use as their number.
 */
export function uidNextOf(ctx: Ctx, roomnum: number): number {
  const { dbs } = ctx.store;
  const stored = dbs.meta.get(uidNextKey(roomnum));
  if (typeof stored === 'number') return stored;
  return (dbs.rooms.get(roomnum)?.highest ?? 0) + 1;
}

/**
 * Store a new message once (record, bytes, Message-ID index) and place it in each room, in the
 * caller's write transaction. The record is written once with its final refcount. A text post's
 * plain text is its rendered body, so only raw messages keep a separate decoded text.
 */
export function storeMessageInTxn(ctx: Ctx, rec: MessageRecord, raw: Buffer, text: string, roomnums: number[]): Placed[] {
  const { dbs } = ctx.store;
  const rooms = [...new Set(roomnums)];
  dbs.messages.putSync(rec.msgnum, { ...rec, refcount: rooms.length });
  dbs.bodies.putSync(rec.msgnum, raw);
  if (rec.format !== 'text') dbs.texts.putSync(rec.msgnum, text);
  if (rec.messageId) indexMessageIdInTxn(dbs, rec.messageId, rec.msgnum);
  return rooms.map((roomnum) => addPlacementInTxn(ctx, roomnum, rec.msgnum, rec.size));
}

/** The plain text of a stored message: a text post's body as posted, or the decoded best text part. */
export function textOf(ctx: Ctx, rec: MessageRecord): string {
  const { dbs } = ctx.store;
  if (rec.format !== 'text') return dbs.texts.get(rec.msgnum) ?? '';
  const raw = dbs.bodies.get(rec.msgnum);
  if (!raw) return '';
  // the rendered body is the posted text with CRLF line ends and one final line end added
  return raw.subarray(rec.bodyOffset).toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
}

/** The room-list entry, journal entry and room high-water mark of a new placement. */
function addPlacementInTxn(ctx: Ctx, roomnum: number, msgnum: number, size: number): Placed {
  const { store } = ctx;
  const { dbs } = store;
  const room = dbs.rooms.get(roomnum) as RoomRecord;
  // summed before the new entry is listed, so a room without a stored sum counts it once
  if (room.kind === 'mailbox') dbs.meta.putSync(roomBytesKey(roomnum), roomBytesOf(ctx, roomnum) + size);
  const modseq = store.next('modseq');
  const uid = uidNextOf(ctx, roomnum);
  dbs.meta.putSync(uidNextKey(roomnum), uid + 1);
  dbs.roomLists.putSync([roomnum, msgnum], { arrived: Date.now(), modseq, uid });
  dbs.rooms.putSync(roomnum, { ...room, highest: Math.max(room.highest, msgnum), count: room.count + 1, mtime: Date.now() });
  dbs.journal.putSync(modseq, { roomnum, msgnum, kind: 'placed' });
  return { roomnum, msgnum, modseq, uid };
}

/** Add one placement (idempotent per room) and bump the message's refcount. */
export function placeInTxn(ctx: Ctx, roomnum: number, msgnum: number): Placed | undefined {
  const { store } = ctx;
  const { dbs } = store;
  if (dbs.roomLists.get([roomnum, msgnum])) return undefined;
  const msg = dbs.messages.get(msgnum)!;
  const next: MessageRecord = { ...msg, refcount: msg.refcount + 1 };
  delete next.deletedAt;
  const removedFrom = msg.removedFrom?.filter((r) => r !== roomnum);
  if (removedFrom?.length) next.removedFrom = removedFrom;
  else delete next.removedFrom;
  dbs.messages.putSync(msgnum, next);
  return addPlacementInTxn(ctx, roomnum, msgnum, msg.size);
}

/**
 * Remove one placement. When the last placement goes, the message is kept for the
 * soft-delete window (deletedAt set) and purged later; see messages.purge.
 */
export function unplaceInTxn(ctx: Ctx, roomnum: number, msgnum: number): Placed | undefined {
  const { store } = ctx;
  const { dbs } = store;
  const placement = dbs.roomLists.get([roomnum, msgnum]);
  if (!placement) return undefined;
  const uid = placement.uid ?? msgnum;
  const msg = dbs.messages.get(msgnum);
  const room = dbs.rooms.get(roomnum);
  if (room?.kind === 'mailbox') dbs.meta.putSync(roomBytesKey(roomnum), Math.max(0, roomBytesOf(ctx, roomnum) - (msg?.size ?? 0)));
  dbs.roomLists.removeSync([roomnum, msgnum]);
  if (room) dbs.rooms.putSync(roomnum, { ...room, count: Math.max(0, room.count - 1) });
  const modseq = store.next('modseq');
  if (msg) {
    const refcount = Math.max(0, msg.refcount - 1);
    const removedFrom = [...(msg.removedFrom ?? []).filter((r) => r !== roomnum), roomnum];
    dbs.messages.putSync(msgnum, refcount === 0 ? { ...msg, refcount, removedFrom, deletedAt: Date.now() } : { ...msg, refcount, removedFrom });
  }
  dbs.journal.putSync(modseq, { roomnum, msgnum, kind: 'removed', uid });
  return { roomnum, msgnum, modseq, uid };
}

/** Delete a message record and its bytes for good (refcount 0 only). */
export function purgeInTxn(ctx: Ctx, msgnum: number): void {
  const { dbs } = ctx.store;
  const msg = dbs.messages.get(msgnum);
  if (!msg || msg.refcount > 0) return;
  dbs.messages.removeSync(msgnum);
  dbs.bodies.removeSync(msgnum);
  dbs.texts.removeSync(msgnum);
  if (msg.messageId) unindexMessageIdInTxn(dbs, msg.messageId, msgnum);
}
