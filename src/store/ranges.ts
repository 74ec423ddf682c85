// Compact sets of message numbers as sorted, disjoint inclusive ranges (seen sets, flag sets).
import type { Ranges } from './records.ts';

export function has(r: Ranges, n: number): boolean {
  let lo = 0;
  let hi = r.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = r[mid]!;
    if (n < a) hi = mid - 1;
    else if (n > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Add the inclusive range [from, to]; returns a new normalised Ranges. */
export function add(r: Ranges, from: number, to: number = from): Ranges {
  if (to < from) return r;
  const out: Ranges = [];
  let cur: [number, number] = [from, to];
  let placed = false;
  for (const [a, b] of r) {
    if (b + 1 < cur[0]) out.push([a, b]);
    else if (a > cur[1] + 1) {
      if (!placed) { out.push(cur); placed = true; }
      out.push([a, b]);
    } else cur = [Math.min(a, cur[0]), Math.max(b, cur[1])];
  }
  if (!placed) out.push(cur);
  return out;
}

/** Remove the inclusive range [from, to]. */
export function remove(r: Ranges, from: number, to: number = from): Ranges {
  const out: Ranges = [];
  for (const [a, b] of r) {
    if (b < from || a > to) { out.push([a, b]); continue; }
    if (a < from) out.push([a, from - 1]);
    if (b > to) out.push([to + 1, b]);
  }
  return out;
}

export function fromList(nums: number[]): Ranges {
  let r: Ranges = [];
  for (const n of [...nums].sort((x, y) => x - y)) r = add(r, n);
  return r;
}

export function count(r: Ranges): number {
  return r.reduce((s, [a, b]) => s + b - a + 1, 0);
}

/** The inclusive ranges within [lo, hi] that r does not cover, ascending. */
export function gaps(r: Ranges, lo: number, hi: number): Ranges {
  const out: Ranges = [];
  let next = lo;
  for (const [a, b] of r) {
    if (b < next) continue;
    if (a > hi) break;
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
    if (next > hi) return out;
  }
  if (next <= hi) out.push([next, hi]);
  return out;
}
