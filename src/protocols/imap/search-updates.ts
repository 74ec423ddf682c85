// Updating searches of one selection (CONTEXT=SEARCH, RFC 5267 §4.3): SEARCH RETURN (UPDATE)
// keeps its result here, and as messages change, arrive or are expunged the client hears
// * ESEARCH (TAG …) ADDTO / REMOVEFROM until CANCELUPDATE or the mailbox is closed.
import { esearchLine, seqSetString } from './render.ts';

export interface SearchContext {
  tag: string;
  isUid: boolean;
  /** message numbers now in the result */
  result: Set<number>;
  /** which of `only` match the search now */
  evaluate(only: Set<number>): Set<number>;
}

/** RFC 5267 §4.3.1: at least one per client; more than this answers NOUPDATE (Dovecot keeps 10 too). */
const MAX_CONTEXTS = 10;

/** Message number → sequence number or UID, as the context reports. */
export type IdOf = (msgnum: number, isUid: boolean) => number;

export class SearchUpdates {
  private readonly contexts: SearchContext[] = [];

  has(tag: string): boolean {
    return this.contexts.some((c) => c.tag === tag);
  }

  /** false: too many already (the caller answers NOUPDATE) */
  add(c: SearchContext): boolean {
    if (this.contexts.length >= MAX_CONTEXTS) return false;
    this.contexts.push(c);
    return true;
  }

  cancel(tag: string): boolean {
    const i = this.contexts.findIndex((c) => c.tag === tag);
    if (i < 0) return false;
    this.contexts.splice(i, 1);
    return true;
  }

  /** REMOVEFROM for results about to be expunged, numbered as they are before the EXPUNGEs (RFC 5267 §4.3.4). */
  beforeExpunge(gone: Iterable<number>, id: IdOf): string[] {
    const lines: string[] = [];
    const goneSet = new Set(gone);
    for (const c of this.contexts) {
      const out = [...c.result].filter((n) => goneSet.has(n));
      if (!out.length) continue;
      for (const n of out) c.result.delete(n);
      lines.push(esearchLine(c.tag, c.isUid, ` REMOVEFROM (0 ${seqSetString(out.map((n) => id(n, c.isUid)))})`));
    }
    return lines;
  }

  /**
   * ADDTO / REMOVEFROM for changed messages (new ones after their EXISTS, RFC 5267 §4.3.3).
   * Position 0: SEARCH results are kept in mailbox order (§4.3.3).
   */
  refresh(touched: Set<number>, id: IdOf): string[] {
    const lines: string[] = [];
    const present = [...touched].filter((n) => id(n, false) > 0);
    if (!present.length) return lines;
    for (const c of this.contexts) {
      let now: Set<number>;
      try {
        now = c.evaluate(touched);
      } catch {
        continue; // the mailbox went away; the next command tells the client
      }
      const added = present.filter((n) => now.has(n) && !c.result.has(n));
      const removed = present.filter((n) => !now.has(n) && c.result.has(n));
      for (const n of added) c.result.add(n);
      for (const n of removed) c.result.delete(n);
      const set = (nums: number[]) => seqSetString(nums.map((n) => id(n, c.isUid)));
      if (removed.length) lines.push(esearchLine(c.tag, c.isUid, ` REMOVEFROM (0 ${set(removed)})`));
      if (added.length) lines.push(esearchLine(c.tag, c.isUid, ` ADDTO (0 ${set(added)})`));
    }
    return lines;
  }
}
