// Sorting a big mailbox's SORT rows without holding the event loop (issue 16): runs of a few
// thousand rows are sorted at once, then merged pairwise, with a turn for other sessions
// whenever this one's slice is used up. The result is the same order Array.prototype.sort gives.

/** Rows per run sorted in one go (a few milliseconds with SORT's comparators). */
const RUN = 2048;
/** Merged rows between looks at the clock. */
const CHECK = 1024;

/** `items` sorted by `cmp` (a new array); `pace` is called at clean breaks and may wait. */
export async function sortInTurns<T>(items: T[], cmp: (a: T, b: T) => number, pace: () => Promise<void> | void): Promise<T[]> {
  let runs: T[][] = [];
  for (let at = 0; at < items.length; at += RUN) {
    runs.push(items.slice(at, at + RUN).sort(cmp));
    await pace();
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const b = runs[i + 1];
      merged.push(b ? await merge(runs[i]!, b, cmp, pace) : runs[i]!);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}

async function merge<T>(a: T[], b: T[], cmp: (a: T, b: T) => number, pace: () => Promise<void> | void): Promise<T[]> {
  const out: T[] = [];
  let x = 0;
  let y = 0;
  while (x < a.length && y < b.length) {
    // ties go to the earlier run, as a stable sort would have it
    out.push(cmp(b[y]!, a[x]!) < 0 ? b[y++]! : a[x++]!);
    if (out.length % CHECK === 0) await pace();
  }
  while (x < a.length) out.push(a[x++]!);
  while (y < b.length) out.push(b[y++]!);
  return out;
}
