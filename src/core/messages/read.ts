// Reading messages: by number (access checked against the rooms that hold it), raw bytes, text,
// by Message-ID, a room's message numbers for a user (NEW/OLD by the shared seen set), and a
// room's placements with their numbers in the room (IMAP UIDs).
import type { Actor } from '../actor.ts';
import { CoreError } from '../errors.ts';
import { toMessage, type ListWhich, type Message } from './message.ts';
import { lastSeenNum, pagedNums, pagedSeenNums, pagedUnseenNums, placedNums, seenNums, unseenNums } from '../rooms/room-list.ts';
import { messagesWithId } from './message-ids.ts';
import { textOf, uidNextOf } from './place.ts';
import { previewOf } from './preview.ts';
import type { MessageContext } from './context.ts';

export function createReading(mc: MessageContext) {
  const { ctx, deps, dbs, readableRecord, canReadMessage } = mc;

  const reads = {
    /** A message by number, if the actor may read a room that holds it (or the given room). */
    get(actor: Actor, msgnum: number, roomnum?: number): Message {
      return toMessage(readableRecord(actor, msgnum, roomnum));
    },

    /**
     * A message just removed from a room the actor can still read, while it is kept for the
     * soft-delete window: IMAP answers a FETCH of a message another session expunged with its
     * data (RFC 2180 §4.1.3). undefined when it was not removed from that room or is gone.
     */
    removedFrom(actor: Actor, msgnum: number, roomnum: number): { message: Message; raw: Buffer } | undefined {
      const rec = dbs.messages.get(msgnum);
      if (!rec || !rec.removedFrom?.includes(roomnum) || !deps.rooms.access(actor, roomnum).canRead) return undefined;
      return { message: toMessage(rec), raw: dbs.bodies.get(msgnum) ?? Buffer.alloc(0) };
    },

    /** The stored RFC 5322 bytes (text posts: their deterministic form). */
    raw(actor: Actor, msgnum: number, roomnum?: number): Buffer {
      reads.get(actor, msgnum, roomnum);
      return dbs.bodies.get(msgnum) ?? Buffer.alloc(0);
    },

    /** The plain text of a message: the body as posted, or the decoded best text part. */
    text(actor: Actor, msgnum: number, roomnum?: number): string {
      return reads.read(actor, msgnum, roomnum).text;
    },

    /** The first `max` characters of a message's text, quotes and signature left out (IMAP PREVIEW, RFC 8970). */
    preview(actor: Actor, msgnum: number, roomnum?: number, max = 256): string {
      return previewOf(reads.text(actor, msgnum, roomnum), max);
    },

    /** A message and its plain text, read and checked once (a reader's MSG4, say). */
    read(actor: Actor, msgnum: number, roomnum?: number): { message: Message; text: string } {
      const rec = readableRecord(actor, msgnum, roomnum);
      return { message: toMessage(rec), text: textOf(ctx, rec) };
    },

    /** Look a message up by its Message-ID (with or without brackets): the first holding it that the actor may read. */
    findByMessageId(actor: Actor, messageId: string): Message | undefined {
      const id = messageId.startsWith('<') ? messageId : `<${messageId}>`;
      for (const num of messagesWithId(dbs, id)) {
        const rec = dbs.messages.get(num);
        // one the actor may not read is as if absent
        if (rec && rec.refcount > 0 && canReadMessage(actor, num)) return toMessage(rec);
      }
      return undefined;
    },

    /** Message numbers of a room for a user, ascending; NEW/OLD by the user's seen set. */
    list(actor: Actor, roomnum: number, which: ListWhich = { kind: 'all' }): number[] {
      const access = deps.rooms.access(actor, roomnum);
      if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const seen = () => (actor.kind === 'user' ? deps.visits.get(actor.usernum, roomnum).seen : []);
      switch (which.kind) {
        case 'all': return placedNums(dbs, roomnum);
        case 'new': return unseenNums(dbs, roomnum, seen());
        case 'old': return seenNums(dbs, roomnum, seen());
        case 'last': return which.n > 0 ? placedNums(dbs, roomnum, 0, undefined, { reverse: true, limit: which.n }).reverse() : [];
        case 'first': return which.n > 0 ? placedNums(dbs, roomnum, 0, undefined, { limit: which.n }) : [];
        case 'gt': return placedNums(dbs, roomnum, which.n + 1);
        case 'lt': return placedNums(dbs, roomnum, 0, which.n - 1);
      }
    },

    /**
     * The same numbers as list(), read a page at a time as the caller iterates (access is checked
     * now), so a listing of a big room is written in slices; with `withLastOld`, NEW starts with
     * the last old message (the user flag of Citadel's MSGS NEW).
     */
    walk(actor: Actor, roomnum: number, which: ListWhich, opts: { withLastOld?: boolean } = {}): Iterable<number> {
      const access = deps.rooms.access(actor, roomnum);
      if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const seen = actor.kind === 'user' ? deps.visits.get(actor.usernum, roomnum).seen : [];
      switch (which.kind) {
        case 'all': return pagedNums(dbs, roomnum);
        case 'new': {
          const lastOld = opts.withLastOld ? lastSeenNum(dbs, roomnum, seen) : undefined;
          const unseen = pagedUnseenNums(dbs, roomnum, seen);
          return lastOld === undefined ? unseen : (function* () { yield lastOld; yield* unseen; })();
        }
        case 'old': return pagedSeenNums(dbs, roomnum, seen);
        case 'first': return pagedNums(dbs, roomnum, 0, undefined, Math.max(0, which.n));
        case 'gt': return pagedNums(dbs, roomnum, which.n + 1);
        case 'lt': return pagedNums(dbs, roomnum, 0, which.n - 1);
        case 'last': return reads.list(actor, roomnum, which); // at most n, read backwards at once
      }
    },

    count(): number {
      return dbs.messages.getCount();
    },

    /** Placement data (arrival, modseq, number in the room) of a message in a room the actor may read. */
    placement(actor: Actor, roomnum: number, msgnum: number): { arrived: number; modseq: number; uid: number } | undefined {
      if (!deps.rooms.access(actor, roomnum).canRead) return undefined; // as if absent, like every read
      const p = dbs.roomLists.get([roomnum, msgnum]);
      return p && { arrived: p.arrived, modseq: p.modseq, uid: p.uid ?? msgnum };
    },

    /**
     * A room's placements with their numbers in the room (IMAP UIDs), ascending by that number.
     * The number is the room's own count of placements, so it says in which order messages
     * came into the room; the message number stays the message's identity everywhere.
     */
    placements(actor: Actor, roomnum: number): { msgnum: number; uid: number }[] {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const out: { msgnum: number; uid: number }[] = [];
      let isSorted = true;
      for (const { key, value } of dbs.roomLists.getRange({ start: [roomnum, 0], end: [roomnum, Number.MAX_SAFE_INTEGER] })) {
        const msgnum = (key as [number, number])[1];
        const uid = value.uid ?? msgnum;
        if (out.length && uid < out[out.length - 1]!.uid) isSorted = false;
        out.push({ msgnum, uid });
      }
      return isSorted ? out : out.sort((a, b) => a.uid - b.uid);
    },

    /** The total size in octets of the messages placed in a room (IMAP STATUS SIZE, RFC 8438). */
    roomSize(actor: Actor, roomnum: number): number {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      let total = 0;
      for (const n of placedNums(dbs, roomnum)) total += dbs.messages.get(n)?.size ?? 0;
      return total;
    },

    /** The number the next placement in a room will get (IMAP UIDNEXT). */
    uidNext(actor: Actor, roomnum: number): number {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      return uidNextOf(ctx, roomnum);
    },
  };
  return reads;
}

export type Reading = ReturnType<typeof createReading>;
