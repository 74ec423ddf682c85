// Updating searches of one selection (CONTEXT=SEARCH and CONTEXT=SORT, RFC 5267 §4.3): SEARCH
// or SORT RETURN (UPDATE) keeps its result here, and as messages change, arrive or are expunged
// the client hears * ESEARCH (TAG …) ADDTO / REMOVEFROM until CANCELUPDATE or the mailbox is
// closed. A SEARCH result is a set (position 0); a SORT result is a list, told by position.
import { esearchLine, orderedSetString, seqSetString, str } from './render.ts';

export interface SearchContext {
  tag: string;
  isUid: boolean;
  /** message numbers in the result; for SORT in sort order */
  result: number[];
  /** SORT: the requested order (a message's sort values never change, only membership does) */
  compare?: ((a: number, b: number) => number) | undefined;
  /** which of `only` match the search now */
  evaluate(only: Set<number>): Set<number>;
  /** told when evaluate() fails and the context is dropped (the session logs it) */
  onError?: ((err: unknown) => void) | undefined;
}

/** RFC 5267 §4.3.1: at least one per client; more than this answers NOUPDATE (Dovecot keeps 10 too). */
const MAX_CONTEXTS = 10;

/** Message number → sequence number or UID, as the context reports. */
export type IdOf = (msgnum: number, isUid: boolean) => number;

/** Runs of `marked` in `list`, each as "position set", positions counted as the runs before are applied. */
function runs(list: number[], marked: Set<number>, shift: (runLength: number) => number, ids: (nums: number[]) => string): string {
  const pairs: string[] = [];
  let offset = 0;
  for (let i = 0; i < list.length;) {
    if (!marked.has(list[i]!)) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < list.length && marked.has(list[j]!)) j += 1;
    pairs.push(`${i + 1 + offset} ${ids(list.slice(i, j))}`);
    offset += shift(j - i);
    i = j;
  }
  return pairs.join(' ');
}

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
  beforeExpunge(gone: Set<number>, id: IdOf): string[] {
    return this.contexts.flatMap((c) => this.apply(c, new Set(c.result.filter((n) => gone.has(n))), [], id));
  }

  /**
   * ADDTO / REMOVEFROM for changed messages (new ones after their EXISTS, RFC 5267 §4.3.3). A
   * context that can no longer be evaluated is dropped with an untagged NO [NOUPDATE "tag"]
   * (RFC 5267 §4.3.1), so the client stops trusting it rather than keeping a result gone stale.
   */
  refresh(touched: Set<number>, id: IdOf): string[] {
    if (!this.contexts.length) return [];
    const present = [...touched].filter((n) => id(n, false) > 0);
    if (!present.length) return [];
    const lines: string[] = [];
    for (const c of [...this.contexts]) {
      let now: Set<number>;
      try {
        now = c.evaluate(touched);
      } catch (err) {
        c.onError?.(err);
        this.cancel(c.tag);
        lines.push(`* NO [NOUPDATE ${str(c.tag)}] Updates of this search have stopped\r\n`);
        continue;
      }
      const had = new Set(c.result);
      const removed = new Set(present.filter((n) => !now.has(n) && had.has(n)));
      const added = present.filter((n) => now.has(n) && !had.has(n));
      for (const l of this.apply(c, removed, added, id)) lines.push(l);
    }
    return lines;
  }

  /**
   * Take `removed` out of and `added` into the result, and say so: a SEARCH context by position 0
   * and a set in mailbox order, a SORT context by runs at their positions, in sort order.
   */
  private apply(c: SearchContext, removed: Set<number>, added: number[], id: IdOf): string[] {
    const lines: string[] = [];
    const ids = (nums: number[]) => (c.compare ? orderedSetString : seqSetString)(nums.map((n) => id(n, c.isUid)));
    if (removed.size) {
      const told = c.compare ? runs(c.result, removed, (len) => -len, ids) : `0 ${ids([...removed])}`;
      lines.push(esearchLine(c.tag, c.isUid, ` REMOVEFROM (${told})`));
      c.result = c.result.filter((n) => !removed.has(n));
    }
    if (added.length) {
      const next = c.compare ? [...c.result, ...added].sort(c.compare) : [...c.result, ...added];
      const told = c.compare ? runs(next, new Set(added), () => 0, ids) : `0 ${ids(added)}`;
      lines.push(esearchLine(c.tag, c.isUid, ` ADDTO (${told})`));
      c.result = next;
    }
    return lines;
  }
}
