// QRESYNC (RFC 7162 §3.2): what vanished from the selected room since a mod-sequence, for
// SELECT (QRESYNC …) and UID FETCH (CHANGEDSINCE … VANISHED). The journal names the removed
// placements; when it is too long to read, every UID missing from the view counts as vanished
// (clients ignore UIDs they never knew, RFC 7162 §3.2.10).
import type { Selected } from './types.ts';
import { STAR, type SeqSet } from '../parser.ts';
import { flagList } from '../render.ts';

type Range = [number, number];

function toString(ranges: Range[]): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(',');
}

/** UIDs missing from the view within [a, b], as ranges (gaps between present UIDs). */
function gaps(uids: number[], a: number, b: number): Range[] {
  const out: Range[] = [];
  let next = a;
  for (const u of uids) {
    if (u < a) continue;
    if (u > b) break;
    if (u > next) out.push([next, u - 1]);
    next = u + 1;
  }
  if (next <= b) out.push([next, b]);
  return out;
}

/** The VANISHED (EARLIER) set since `modseq`, limited to `within` (client-known UIDs) if given. */
export function vanishedSince(s: Selected, modseq: number, within?: SeqSet): string {
  const box = s.box;
  const maxUid = Math.max(box.uidNext - 1, 1);
  const limits: Range[] = (within ?? [{ from: 1, to: maxUid }]).map((r) => {
    const a = r.from === STAR ? maxUid : r.from;
    const b = r.to === STAR ? maxUid : r.to;
    return [Math.min(a, b), Math.max(a, b)];
  });
  const removed = s.core.journal.removedSince(s.actor, box.room.roomnum, modseq);
  if (removed === undefined) return toString(limits.flatMap(([a, b]) => gaps(box.uids, a, b)));
  const present = new Set(box.uids);
  const gone = [...new Set(removed)].filter((u) => !present.has(u) && limits.some(([a, b]) => u >= a && u <= b)).sort((x, y) => x - y);
  const ranges: Range[] = [];
  for (const u of gone) {
    const last = ranges.at(-1);
    if (last && u === last[1] + 1) last[1] = u;
    else ranges.push([u, u]);
  }
  return toString(ranges);
}

/** After SELECT (QRESYNC (uidvalidity modseq [known-uids])): what vanished and what changed. */
export function resync(s: Selected, modseq: number, known?: SeqSet): void {
  const vanished = vanishedSince(s, modseq, known);
  if (vanished) s.send(`* VANISHED (EARLIER) ${vanished}\r\n`);
  const box = s.box;
  for (let i = 0; i < box.nums.length; i++) {
    const n = box.nums[i]!;
    const m = box.modseq(n);
    if (m > modseq) s.send(`* ${i + 1} FETCH (UID ${box.uids[i]} FLAGS ${flagList(box.flags(n))} MODSEQ (${m}))\r\n`);
  }
}
