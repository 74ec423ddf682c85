// SEARCH keys (RFC 3501 §6.4.4, `$` of RFC 5182, OLDER/YOUNGER of RFC 5032, SAVEDATE's RFC 8514
// §4, OBJECTID's RFC 8474 §4.3): wire arguments → a key tree. Pure.
import type { FlagName } from '../../../core/index.ts';
import { ImapError } from '../errors.ts';
import { isSavedSet, parseDate, parseSeqSet, type SeqSet, type Value } from '../parser.ts';

export type SearchKey =
  | { k: 'all' }
  | { k: 'flag'; flag: FlagName; isOn: boolean }
  | { k: 'keyword'; keyword: string; isOn: boolean }
  | { k: 'new' } | { k: 'old' } | { k: 'recent' }
  | { k: 'header'; field: string; value: string }
  | { k: 'addr'; field: 'from' | 'to' | 'cc' | 'bcc'; value: string }
  | { k: 'subject'; value: string }
  | { k: 'body'; value: string } | { k: 'text'; value: string }
  | { k: 'date'; which: 'internal' | 'sent' | 'saved'; op: 'before' | 'on' | 'since'; day: number }
  | { k: 'emailid'; id: string } | { k: 'threadid'; id: string }
  | { k: 'size'; op: 'larger' | 'smaller'; n: number }
  | { k: 'modseq'; min: number }
  /** INTERNALDATE at least / less than `seconds` before the search (RFC 5032 OLDER, YOUNGER) */
  | { k: 'within'; op: 'older' | 'younger'; seconds: number }
  /** `$`: the saved search result (RFC 5182) */
  | { k: 'saved' }
  /** fixed messages (message numbers): what a sequence set named when an updating search began */
  | { k: 'among'; nums: ReadonlySet<number> }
  | { k: 'seq'; set: SeqSet } | { k: 'uid'; set: SeqSet }
  | { k: 'not'; key: SearchKey } | { k: 'or'; a: SearchKey; b: SearchKey }
  | { k: 'and'; keys: SearchKey[] };

const FLAG_KEYS: Record<string, [FlagName, boolean]> = {
  ANSWERED: ['answered', true], DELETED: ['deleted', true], DRAFT: ['draft', true], FLAGGED: ['flagged', true], SEEN: ['seen', true],
  UNANSWERED: ['answered', false], UNDELETED: ['deleted', false], UNDRAFT: ['draft', false], UNFLAGGED: ['flagged', false], UNSEEN: ['seen', false],
};
const DATE_KEYS: Record<string, ['internal' | 'sent' | 'saved', 'before' | 'on' | 'since']> = {
  SAVEDBEFORE: ['saved', 'before'], SAVEDON: ['saved', 'on'], SAVEDSINCE: ['saved', 'since'],
  BEFORE: ['internal', 'before'], ON: ['internal', 'on'], SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'], SENTON: ['sent', 'on'], SENTSINCE: ['sent', 'since'],
};

class Reader {
  i = 0;
  constructor(private readonly vals: Value[]) {}
  get atEnd(): boolean { return this.i >= this.vals.length; }
  next(what: string): Value {
    const v = this.vals[this.i++];
    if (!v) throw new ImapError('BAD', `SEARCH: missing ${what}`);
    return v;
  }
  string(what: string): string {
    const v = this.next(what);
    if (v.t === 'list') throw new ImapError('BAD', `SEARCH: expected ${what}`);
    return v.v;
  }
  number(what: string): number {
    const s = this.string(what);
    if (!/^\d{1,15}$/.test(s)) throw new ImapError('BAD', `SEARCH: expected a number for ${what}`);
    return Number(s);
  }
}

function readKey(r: Reader, depth: number): SearchKey {
  if (depth > 50) throw new ImapError('BAD', 'SEARCH nested too deeply');
  const v = r.next('a search key');
  if (v.t === 'list') return { k: 'and', keys: readAll(new Reader(v.v), depth + 1) };
  const word = v.v.toUpperCase();
  const flag = FLAG_KEYS[word];
  if (flag) return { k: 'flag', flag: flag[0], isOn: flag[1] };
  const date = DATE_KEYS[word];
  if (date) return { k: 'date', which: date[0], op: date[1], day: parseDate(r.string('a date')) };
  switch (word) {
    case 'ALL': return { k: 'all' };
    // every message of every folder has a save date (its placement's arrival)
    case 'SAVEDATESUPPORTED': return { k: 'all' };
    case 'EMAILID': return { k: 'emailid', id: r.string('an object id') };
    case 'THREADID': return { k: 'threadid', id: r.string('an object id') };
    case 'NEW': return { k: 'new' };
    case 'OLD': return { k: 'old' };
    case 'RECENT': return { k: 'recent' };
    case 'KEYWORD': return { k: 'keyword', keyword: r.string('a keyword'), isOn: true };
    case 'UNKEYWORD': return { k: 'keyword', keyword: r.string('a keyword'), isOn: false };
    case 'FROM': case 'TO': case 'CC': case 'BCC': return { k: 'addr', field: word.toLowerCase() as 'from', value: r.string('a string') };
    case 'SUBJECT': return { k: 'subject', value: r.string('a string') };
    case 'BODY': return { k: 'body', value: r.string('a string') };
    case 'TEXT': return { k: 'text', value: r.string('a string') };
    case 'HEADER': return { k: 'header', field: r.string('a header name').toLowerCase(), value: r.string('a string') };
    case 'LARGER': return { k: 'size', op: 'larger', n: r.number('LARGER') };
    case 'SMALLER': return { k: 'size', op: 'smaller', n: r.number('SMALLER') };
    case 'UID': {
      const set = parseSeqSet(r.string('a UID set'));
      return isSavedSet(set) ? { k: 'saved' } : { k: 'uid', set };
    }
    case 'OLDER': case 'YOUNGER': {
      const seconds = r.number(word);
      if (seconds === 0) throw new ImapError('BAD', `${word} needs an interval of at least one second`);
      return { k: 'within', op: word === 'OLDER' ? 'older' : 'younger', seconds };
    }
    case '$': return { k: 'saved' };
    case 'MODSEQ': {
      // MODSEQ [entry-name entry-type] n (RFC 7162 §3.1.5); per-flag entries are not kept apart
      const first = r.string('a mod-sequence');
      if (/^\d{1,19}$/.test(first)) return { k: 'modseq', min: Number(first) };
      r.string('an entry type');
      return { k: 'modseq', min: r.number('a mod-sequence') };
    }
    case 'NOT': return { k: 'not', key: readKey(r, depth + 1) };
    case 'OR': return { k: 'or', a: readKey(r, depth + 1), b: readKey(r, depth + 1) };
  }
  if (/^[\d*:,]+$/.test(word)) return { k: 'seq', set: parseSeqSet(word) };
  throw new ImapError('BAD', `Unknown SEARCH key ${word.slice(0, 30)}`);
}

function readAll(r: Reader, depth: number): SearchKey[] {
  const keys: SearchKey[] = [];
  for (let guard = 0; !r.atEnd && guard < 10_000; guard++) keys.push(readKey(r, depth));
  if (keys.length === 0) throw new ImapError('BAD', 'SEARCH needs a key');
  return keys;
}

/** SEARCH arguments: optional CHARSET (UTF-8 or US-ASCII), then keys ANDed together. */
export function parseSearch(args: Value[]): SearchKey {
  let rest = args;
  const first = args[0];
  if (first?.t === 'atom' && first.v.toUpperCase() === 'CHARSET') {
    const cs = args[1];
    if (!cs || cs.t === 'list') throw new ImapError('BAD', 'CHARSET needs a name');
    if (!/^(UTF-8|US-ASCII)$/i.test(cs.v)) throw new ImapError('NO', `Charset ${cs.v.slice(0, 30)} is not supported`, 'BADCHARSET (UTF-8 US-ASCII)');
    rest = args.slice(2);
  }
  return { k: 'and', keys: readAll(new Reader(rest), 0) };
}

/** Which message data a key tree needs, so a search on flags alone reads no message. */
export function needsMessage(k: SearchKey): boolean {
  switch (k.k) {
    case 'header': case 'addr': case 'subject': case 'body': case 'text': case 'date': case 'size': case 'within': case 'threadid': return true;
    case 'not': return needsMessage(k.key);
    case 'or': return needsMessage(k.a) || needsMessage(k.b);
    case 'and': return k.keys.some(needsMessage);
    default: return false;
  }
}

/** Whether the keys use MODSEQ (the reply then carries the highest MODSEQ found). */
export function usesModseq(k: SearchKey): boolean {
  switch (k.k) {
    case 'modseq': return true;
    case 'not': return usesModseq(k.key);
    case 'or': return usesModseq(k.a) || usesModseq(k.b);
    case 'and': return k.keys.some(usesModseq);
    default: return false;
  }
}
