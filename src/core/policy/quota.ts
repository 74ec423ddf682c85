// The per-user mailbox quota (KEEP_QUOTA_MB): what a user's own mailboxes hold, and the one
// check every way in asks before a new message lands in one of them (IMAP APPEND, SMTP
// delivery and submission, native mail and posts). Usage is the bytes of every placement in
// the user's live mailbox rooms (a message in two folders counts twice, as a mail client sees
// it), from the per-room sums kept with each placement (messages/place.ts). Mail Keep composes
// itself (bounces, delay notices) is not refused: it tells the user why mail is missing.
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import { roomBytesOf } from '../messages/place.ts';
import type { Actor } from '../actor.ts';
import { usernumOf } from '../visits/visits.ts';

export interface QuotaUsage {
  /** bytes of the messages in the user's own mailboxes */
  bytes: number;
  /** the limit in bytes; undefined when no quota is set */
  limit?: number;
}

export function createQuota(ctx: Ctx) {
  const { dbs } = ctx.store;
  const limit = (): number | undefined => (ctx.settings.quotaBytes ? ctx.settings.quotaBytes : undefined);

  /** The owner of a room that counts toward a quota: a live mailbox room of one user. */
  const ownerOf = (roomnum: number): number | undefined => {
    const r = dbs.rooms.get(roomnum);
    if (!r || r.deletedAt !== undefined || r.kind !== 'mailbox' || r.owners.length !== 1) return undefined;
    return r.owners[0];
  };

  /** The user's own mailbox rooms, found by their names (`~<usernum>/…`), not by scanning every room. */
  const roomsOf = (usernum: number): number[] => {
    const prefix = `~${usernum}/`;
    const out: number[] = [];
    for (const { value } of dbs.roomNames.getRange({ start: prefix, end: `${prefix}\uffff` })) {
      if (ownerOf(value) === usernum) out.push(value);
    }
    return out;
  };

  const bytesOf = (usernum: number): number => roomsOf(usernum).reduce((sum, r) => sum + roomBytesOf(ctx, r), 0);

  const shown = (bytes: number) => (bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.ceil(bytes / 1024)} KB`);
  const full = (usernum: number): CoreError => new CoreError('over-quota', `The mailbox of ${dbs.users.get(usernum)?.name ?? `user #${usernum}`} is full (quota ${shown(limit()!)}).`);

  return {
    /** The acting user's own usage and limit. */
    usage(actor: Actor): QuotaUsage {
      const l = limit();
      return { bytes: bytesOf(usernumOf(actor)), ...(l !== undefined ? { limit: l } : {}) };
    },

    /**
     * Refuse (over-quota) when adding `bytes` to each of these rooms would take the owner of one
     * of them past the quota (`each`, a user storing a message), or, for mail to several
     * recipients (`any`), only when it would take every recipient's owner past it and the message
     * goes nowhere else: one full mailbox must not cost the others their mail, and SMTP has one
     * answer after DATA for all (that owner's next RCPT is refused while full). `ownCopy` is the
     * sender's own copy (native mail's Sent): it counts against the sender alone, so it neither
     * refuses the recipients' mail nor counts as somewhere else the message goes. Rooms that are
     * nobody's own mailbox never count.
     */
    checkRooms(roomnums: number[], bytes: number, opts: { mode: 'each' | 'any'; hasOtherTargets?: boolean; ownCopy?: number } = { mode: 'each' }): void {
      const l = limit();
      if (l === undefined) return;
      // a room takes one copy however often it is named (bob and bob@domain)
      const all = [...new Set(opts.ownCopy !== undefined ? [...roomnums, opts.ownCopy] : roomnums)];
      // every copy a user gets counts, so mail to oneself counts in Inbox and in Sent
      const isOver = (u: number) => bytesOf(u) + bytes * all.filter((r) => ownerOf(r) === u).length > l;
      const sender = opts.ownCopy !== undefined ? ownerOf(opts.ownCopy) : undefined;
      // the Sent copy alone decides for the sender; their own Inbox copy, when they are also a
      // recipient, is one recipient's copy among the others below
      if (sender !== undefined && bytesOf(sender) + bytes > l) throw full(sender);
      const owners = [...new Set(roomnums.map(ownerOf).filter((u): u is number => u !== undefined))];
      const over = owners.filter(isOver);
      if (over.length === 0) return;
      if (opts.mode === 'each') throw full(over[0]!);
      const isElsewhere = opts.hasOtherTargets || roomnums.some((r) => ownerOf(r) === undefined);
      if (over.length === owners.length && !isElsewhere) throw full(over[0]!);
      ctx.log.info({ users: over, bytes }, 'mail for several recipients takes a full mailbox past its quota');
    },

    /** Refuse (over-quota) when the user's mailboxes are already at or past the quota. */
    checkNotFull(usernum: number): void {
      const l = limit();
      if (l !== undefined && bytesOf(usernum) >= l) throw full(usernum);
    },
  };
}

export type Quota = ReturnType<typeof createQuota>;
