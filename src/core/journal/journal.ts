// The journal's high-water mark: every placement, removal and flag change takes the next
// modification sequence and journals it (IMAP CONDSTORE HIGHESTMODSEQ, replicas).
import type { Ctx } from '../context.ts';

export function createJournal(ctx: Ctx) {
  return {
    /** The highest modseq journalled so far (0 when the journal is empty); read-only, no access to check. */
    highestModseq(): number {
      for (const key of ctx.store.dbs.journal.getKeys({ reverse: true, limit: 1 })) return key as number;
      return 0;
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
