// SEARCH and SORT return options: RETURN (MIN MAX ALL COUNT) of ESEARCH (RFC 4731), SAVE of
// SEARCHRES (RFC 5182), PARTIAL and UPDATE of CONTEXT=SEARCH (RFC 5267 §4), and the one
// * ESEARCH reply they all share. ESORT (RFC 5267 §3) is the same with the result in sort order.
import { ImapError } from '../errors.ts';
import type { Value } from '../parser.ts';
import { esearchLine, orderedSetString, seqSetString } from '../render.ts';
import type { Selected } from './types.ts';

export interface ReturnOptions {
  min: boolean;
  max: boolean;
  all: boolean;
  count: boolean;
  save: boolean;
  update: boolean;
  /** positions low:high in the result, 1-based (RFC 5267 §4.4) */
  partial?: { from: number; to: number };
}

const MAX_U32 = 0xffffffff;

function parsePartial(v: Value | undefined): { from: number; to: number } {
  const m = v?.t === 'atom' ? /^(\d{1,10}):(\d{1,10})$/.exec(v.v) : null;
  const a = Number(m?.[1]);
  const b = Number(m?.[2]);
  if (!m || a < 1 || b < 1 || a > MAX_U32 || b > MAX_U32) throw new ImapError('BAD', 'PARTIAL needs a range n:m of positions');
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/**
 * `RETURN (…)` at the start of SEARCH or SORT arguments; the other arguments follow. No RETURN:
 * the classic * SEARCH / * SORT reply. RETURN () means ALL (RFC 4731 §3.1).
 */
export function parseReturn(args: Value[]): { ret?: ReturnOptions; rest: Value[] } {
  const first = args[0];
  if (first?.t !== 'atom' || first.v.toUpperCase() !== 'RETURN') return { rest: args };
  const list = args[1];
  if (list?.t !== 'list') throw new ImapError('BAD', 'RETURN needs a list of options');
  const ret: ReturnOptions = { min: false, max: false, all: false, count: false, save: false, update: false };
  for (let i = 0; i < list.v.length; i++) {
    const v = list.v[i]!;
    const word = v.t === 'atom' ? v.v.toUpperCase() : '';
    switch (word) {
      case 'MIN': ret.min = true; break;
      case 'MAX': ret.max = true; break;
      case 'ALL': ret.all = true; break;
      case 'COUNT': ret.count = true; break;
      case 'SAVE': ret.save = true; break;
      case 'CONTEXT': break; // a hint that the client will use the result again (RFC 5267 §4.2)
      case 'UPDATE':
        if (ret.update) throw new ImapError('BAD', 'UPDATE given twice');
        ret.update = true;
        break;
      case 'PARTIAL':
        if (ret.partial) throw new ImapError('BAD', 'PARTIAL given twice');
        ret.partial = parsePartial(list.v[++i]);
        break;
      default: throw new ImapError('BAD', `Unknown return option ${(v.t === 'list' ? '(…)' : v.v).slice(0, 20)}`);
    }
  }
  if (ret.partial && ret.all) throw new ImapError('BAD', 'PARTIAL and ALL cannot be used together');
  if (list.v.length === 0) ret.all = true;
  return { ret, rest: args.slice(2) };
}

/** Only SAVE was asked for: the result is kept, nothing is returned (RFC 5182 §2.4). */
const isSaveOnly = (r: ReturnOptions) => r.save && !r.min && !r.max && !r.all && !r.count && !r.partial && !r.update;

/**
 * The messages a reply speaks for: all of them for ALL, COUNT or a plain SAVE, else just the
 * MIN, MAX and PARTIAL ones. SAVE keeps these (RFC 5182 §2.4) and MODSEQ is their highest
 * (RFC 7162 §3.1.5).
 */
function reported(r: ReturnOptions, found: number[]): number[] {
  if (r.all || r.count || isSaveOnly(r)) return found;
  const out = new Set<number>();
  if (found.length && r.min) out.add(found[0]!);
  if (r.partial) for (const n of found.slice(r.partial.from - 1, r.partial.to)) out.add(n);
  if (found.length && r.max) out.add(found.at(-1)!);
  return [...out];
}

/**
 * Apply SAVE and render the * ESEARCH line (undefined when nothing is to be returned). `found`
 * holds message numbers in result order: sequence order for SEARCH, sort order for SORT.
 */
export function esearchReply(s: Selected, tag: string, r: ReturnOptions, found: number[], opts: { isUid: boolean; isSorted: boolean; withModseq: boolean }): string | undefined {
  const box = s.box;
  const id = (n: number) => (opts.isUid ? box.uidOf(n) : box.seqOf(n));
  const set = (nums: number[]) => (opts.isSorted ? orderedSetString(nums.map(id)) : seqSetString(nums.map(id)));
  const told = reported(r, found);
  if (r.save) box.saved = new Set(told);
  if (isSaveOnly(r)) return undefined;
  let data = '';
  if (r.min && found.length) data += ` MIN ${id(found[0]!)}`;
  if (r.max && found.length) data += ` MAX ${id(found.at(-1)!)}`;
  if (r.all && found.length) data += ` ALL ${set(found)}`;
  if (r.partial) {
    const part = found.slice(r.partial.from - 1, r.partial.to);
    data += ` PARTIAL (${r.partial.from}:${r.partial.to} ${part.length ? set(part) : 'NIL'})`;
  }
  if (r.count) data += ` COUNT ${found.length}`;
  if (opts.withModseq && told.length) data += ` MODSEQ ${told.reduce((m, n) => Math.max(m, box.modseq(n)), 0)}`;
  return esearchLine(tag, opts.isUid, data);
}
