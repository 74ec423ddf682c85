// The journal: every placement, removal and flag change takes the next modification sequence
// and is journalled. Read here for IMAP CONDSTORE (HIGHESTMODSEQ) and QRESYNC (what vanished).
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Rooms } from '../rooms/rooms.ts';

export function createJournal(ctx: Ctx, deps: { rooms: Rooms }) {
  const { dbs } = ctx.store;
  return {
    /** The highest modseq journalled so far (0 when the journal is empty); read-only, no access to check. */
    highestModseq(): number {
      for (const key of dbs.journal.getKeys({ reverse: true, limit: 1 })) return key as number;
      return 0;
    },

    /**
     * Placement numbers (IMAP UIDs) whose placement in a room was removed after `modseq`, for a reader of
     * the room (not-found otherwise). Reads at most `maxEntries` journal entries; undefined
     * when there were more (the caller then assumes anything may have gone).
     */
    removedSince(actor: Actor, roomnum: number, modseq: number, maxEntries = 500_000): number[] | undefined {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const out: number[] = [];
      let n = 0;
      for (const { value } of dbs.journal.getRange({ start: modseq + 1 })) {
        if (++n > maxEntries) return undefined;
        if (value.roomnum === roomnum && value.kind === 'removed') out.push(value.uid ?? value.msgnum);
      }
      return out;
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
