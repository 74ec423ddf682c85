// Per-message mod-sequences for CONDSTORE (RFC 7162 §3). A message's MODSEQ is the larger of
// its placement's modseq (journalled by core) and the last change of this user's flags on it.
// Flag changes carry their msgnums in core's 'flags' events; those seen since this worker
// started are exact, and older ones are bounded by the visit record's modseq (the baseline).
// Over-reporting a change is allowed, missing one is not, so the baseline errs high.
import type { Core } from '../../core/index.ts';

interface FlagView {
  base: number;
  perMsg: Map<number, number>;
}

/** Exact entries kept per (user, room) before they are folded into the baseline. */
const MAX_EXACT = 100_000;

/**
 * The baseline once the exact entries are folded into it at `modseq`: never below any of them,
 * since an older event can be told after a newer one and a MODSEQ must not go down.
 */
function foldedBase(v: FlagView, modseq: number): number {
  let base = Math.max(v.base, modseq);
  for (const m of v.perMsg.values()) if (m > base) base = m;
  return base;
}

export class ModseqIndex {
  private readonly views = new Map<string, FlagView>();
  private readonly onFlags = (e: { usernum: number; roomnum: number; msgnums: number[]; modseq: number }) => {
    const v = this.view(e.usernum, e.roomnum);
    if (e.msgnums.length === 0) {
      v.base = foldedBase(v, e.modseq);
      v.perMsg.clear();
      return;
    }
    // two writes' events can arrive in the other order than their modseqs (each waits for its
    // own flush): a message's MODSEQ must never go down (RFC 7162 §3.1.1), so keep the higher
    for (const n of e.msgnums) v.perMsg.set(n, Math.max(e.modseq, v.perMsg.get(n) ?? 0));
    if (v.perMsg.size > MAX_EXACT) {
      v.base = foldedBase(v, e.modseq);
      v.perMsg.clear();
    }
  };

  constructor(private readonly core: Core) {
    core.events.on('flags', this.onFlags);
  }

  close(): void {
    this.core.events.off('flags', this.onFlags);
  }

  private view(usernum: number, roomnum: number): FlagView {
    const key = `${usernum}:${roomnum}`;
    let v = this.views.get(key);
    if (!v) {
      v = { base: this.core.visits.get(usernum, roomnum).modseq, perMsg: new Map() };
      this.views.set(key, v);
    }
    return v;
  }

  /** Start exact tracking for a user's room now (on SELECT), before any change to report. */
  watch(usernum: number, roomnum: number): void {
    this.view(usernum, roomnum);
  }

  /** The modseq of the last flag change of a message for a user (or an upper bound of it). */
  flagModseq(usernum: number, roomnum: number, msgnum: number): number {
    const v = this.view(usernum, roomnum);
    // an older change told after the baseline rose past it must not pull the message below it
    return Math.max(v.perMsg.get(msgnum) ?? 0, v.base);
  }

  /** HIGHESTMODSEQ of a room for a user: never below any message's MODSEQ, never decreasing. */
  highest(usernum: number, roomnum: number): number {
    return Math.max(this.core.journal.highestModseq(), this.core.visits.get(usernum, roomnum).modseq, 1);
  }
}
