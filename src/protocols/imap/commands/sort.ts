// SORT and UID SORT (RFC 5256 §3): the SEARCH result ordered by ARRIVAL, CC, DATE, FROM, SIZE,
// SUBJECT (base subject) or TO, each optionally REVERSE; ties fall back to the sequence number.
import type { Message } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asList, type Value } from '../parser.ts';
import { parseSearch } from './search-keys.ts';
import { search, sendNumbers } from './search.ts';
import { sortInTurns } from './sort-in-turns.ts';

type Key = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO';
const KEYS = new Set<Key>(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO']);

const TRAILER = /(\s*\(fwd\))+\s*$/i;
const LEADER = /^(\[[^[\]]*\]\s*)*(re|fwd?)\s*(\[[^[\]]*\]\s*)?:\s*/i;
const BLOB = /^\[[^[\]]*\]\s*/;

/**
 * RFC 5256 §2.1 base subject: whitespace folded, "(fwd)" trailers, "Re:"/"Fw:"/"Fwd:" leaders
 * with their [blobs], a leading [blob] that is not all there is, and "[fwd: …]" wrappers removed;
 * upper-cased for comparison (i;unicode-casemap orders '[' and '_' after the letters).
 */
export function baseSubject(subject: string): string {
  let out = subject.replace(/\s+/g, ' ').trim();
  for (let guard = 0; guard < 100; guard++) {
    const start = out;
    out = out.replace(TRAILER, '');
    for (let inner = 0; inner < 100; inner++) {
      const before = out;
      out = out.replace(LEADER, '');
      const blob = BLOB.exec(out);
      if (blob && blob[0].length < out.length) out = out.slice(blob[0].length);
      if (out === before) break;
    }
    const wrapped = /^\[fwd:([\s\S]*)\]$/i.exec(out);
    if (wrapped) out = wrapped[1]!.trim();
    if (out === start) break;
  }
  return out.toUpperCase();
}

function parseCriteria(v: Value | undefined): { key: Key; isReverse: boolean }[] {
  const words = asList(v, 'sort criteria').map((w) => (w.t === 'atom' ? w.v.toUpperCase() : ''));
  const out: { key: Key; isReverse: boolean }[] = [];
  for (let i = 0; i < words.length; i++) {
    const isReverse = words[i] === 'REVERSE';
    const key = (isReverse ? words[++i] : words[i]) as Key;
    if (!KEYS.has(key)) throw new ImapError('BAD', `Unknown sort criterion ${String(key).slice(0, 20)}`);
    out.push({ key, isReverse });
  }
  if (out.length === 0) throw new ImapError('BAD', 'SORT needs at least one criterion');
  return out;
}

/** RFC 5256 §3: the mailbox of the first address; a group's first entry carries the group's name. */
function mailboxOf(m: Message, f: 'from' | 'to' | 'cc'): string {
  const exact = m.envelope.exact?.[f];
  if (exact) return (exact[0]?.mailbox ?? '').toLowerCase();
  return (m.envelope[f][0]?.address.split('@')[0] ?? '').toLowerCase();
}

function sortValue(key: Key, m: Message): string | number {
  switch (key) {
    case 'ARRIVAL': return m.time;
    case 'DATE': { const d = Date.parse(m.envelope.date ?? ''); return Number.isNaN(d) ? m.time : d; }
    case 'SIZE': return m.size;
    case 'SUBJECT': return baseSubject(m.subject);
    case 'FROM': return mailboxOf(m, 'from');
    case 'TO': return mailboxOf(m, 'to');
    case 'CC': return mailboxOf(m, 'cc');
  }
}

function sortCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s: Selected, cmd) {
      const criteria = parseCriteria(cmd.args[0]);
      const charset = cmd.args[1];
      if (!charset || charset.t === 'list' || !/^(UTF-8|US-ASCII)$/i.test(charset.v)) throw new ImapError('NO', 'Charset not supported', 'BADCHARSET (UTF-8 US-ASCII)');
      const found = await search(s, parseSearch(cmd.args.slice(2)));
      const box = s.box;
      const rows: { uid: number; seq: number; values: (string | number)[] }[] = [];
      for (const n of found) {
        const m = s.cache.get(n, () => s.core.messages.get(s.actor, n, box.room.roomnum)).msg;
        rows.push({ uid: box.uidOf(n), seq: box.seqOf(n), values: criteria.map((c) => sortValue(c.key, m)) });
        if (s.isTurnOver) await s.drain(); // a turn for others in a big mailbox (issue 16)
      }
      const sorted = await sortInTurns(rows, (a, b) => {
        for (let i = 0; i < criteria.length; i++) {
          const x = a.values[i]!;
          const y = b.values[i]!;
          const c = x < y ? -1 : x > y ? 1 : 0;
          if (c) return criteria[i]!.isReverse ? -c : c;
        }
        return a.seq - b.seq;
      }, () => (s.isTurnOver ? s.drain() : undefined));
      const nums = sorted.map((r) => (isUid ? r.uid : r.seq));
      await sendNumbers(s, 'SORT', nums);
      return ok(`${isUid ? 'UID ' : ''}SORT completed`);
    },
  });
}

export const sortCommands: CommandTable = {
  SORT: sortCommand(false),
  'UID SORT': sortCommand(true),
};
