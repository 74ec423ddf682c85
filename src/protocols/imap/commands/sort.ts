// SORT and UID SORT (RFC 5256 §3): the SEARCH result ordered by ARRIVAL, CC, DATE, FROM, SIZE,
// SUBJECT (base subject), TO, DISPLAYFROM or DISPLAYTO (RFC 5957), each optionally REVERSE; ties
// fall back to the sequence number. RETURN (…) answers with * ESEARCH in sort order (ESORT, RFC 5267 §3),
// PARTIAL pages through it and UPDATE keeps it up to date by position (CONTEXT=SORT, RFC 5267 §4).
import { fieldsOf, type Message } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, mapError, ok } from '../errors.ts';
import { asList, type Value } from '../parser.ts';
import { parseSearch, usesModseq } from './search-keys.ts';
import { esearchReply, parseReturn } from './search-return.ts';
import { checkUpdateTag, search, sendNumbers, watch } from './search.ts';
import { sortInTurns } from './sort-in-turns.ts';
import { baseSubject, sentTime, viewMessage } from './message-order.ts';

type Key = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
const KEYS = new Set<Key>(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);

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

/**
 * RFC 5957 §3: the first address's display name, else its addr-spec; a group's first entry
 * carries the group's name. Upper-cased as SUBJECT is, for i;unicode-casemap order.
 */
function displayOf(m: Message, f: 'from' | 'to'): string {
  const exact = m.envelope.exact?.[f]?.[0];
  if (exact) return (exact.name || (exact.host ? `${exact.mailbox ?? ''}@${exact.host}` : exact.mailbox ?? '')).toUpperCase();
  const a = m.envelope[f][0];
  // a header no address could be read from ("From: d") sorts by its text, as Dovecot's does
  return (a ? a.name || a.address : fieldsOf(m.headers, f)[0]?.trim() ?? '').toUpperCase();
}

function sortValue(key: Key, m: Message): string | number {
  switch (key) {
    case 'ARRIVAL': return m.time;
    case 'DATE': return sentTime(m);
    case 'SIZE': return m.size;
    case 'SUBJECT': return baseSubject(m.subject);
    case 'FROM': return mailboxOf(m, 'from');
    case 'TO': return mailboxOf(m, 'to');
    case 'CC': return mailboxOf(m, 'cc');
    case 'DISPLAYFROM': return displayOf(m, 'from');
    case 'DISPLAYTO': return displayOf(m, 'to');
  }
}

/**
 * The order the criteria give, as a comparison of message numbers; ties go by UID (the same
 * as sequence order, and stable while an updating SORT lives). Each message's values are read once.
 */
function comparator(s: Selected, criteria: { key: Key; isReverse: boolean }[]): (a: number, b: number) => number {
  const box = s.box;
  const values = new Map<number, (string | number)[]>();
  const of = (n: number) => {
    let v = values.get(n);
    if (!v) {
      const m = viewMessage(s, n);
      // gone altogether since the search (purged): sorts as if empty rather than failing SORT
      v = criteria.map((c) => (m ? sortValue(c.key, m) : ''));
      values.set(n, v);
    }
    return v;
  };
  return (a, b) => {
    const va = of(a);
    const vb = of(b);
    for (let i = 0; i < criteria.length; i++) {
      const x = va[i]!;
      const y = vb[i]!;
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c) return criteria[i]!.isReverse ? -c : c;
    }
    return box.uidOf(a) - box.uidOf(b);
  };
}

function sortCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s: Selected, cmd) {
      const { ret, rest } = parseReturn(cmd.args);
      try {
        if (ret?.update) checkUpdateTag(s, cmd.tag);
        const criteria = parseCriteria(rest[0]);
        const charset = rest[1];
        if (!charset || charset.t === 'list' || !/^(UTF-8|US-ASCII)$/i.test(charset.v)) throw new ImapError('NO', 'Charset not supported', 'BADCHARSET (UTF-8 US-ASCII)');
        const key = parseSearch(rest.slice(2));
        const compare = comparator(s, criteria);
        // a big mailbox sorts in turns, with others served between them (issue 16)
        const order = await sortInTurns(await search(s, key), compare, () => (s.isTurnOver ? s.drain() : undefined));
        const withModseq = usesModseq(key);
        if (withModseq) s.enableCondstore();
        if (ret) {
          if (ret.update) watch(s, cmd.tag, key, order, { isUid, compare });
          const line = esearchReply(s, cmd.tag, ret, order, { isUid, isSorted: true, withModseq });
          if (line) s.send(line);
        } else {
          // like SEARCH, a SORT whose keys used MODSEQ ends with the highest mod-sequence found (RFC 7162 §3.1.5)
          const modseq = withModseq && order.length ? ` (MODSEQ ${order.reduce((m, n) => Math.max(m, s.box.modseq(n)), 0)})` : '';
          await sendNumbers(s, 'SORT', order.map((n) => (isUid ? s.box.uidOf(n) : s.box.seqOf(n))), modseq);
        }
      } catch (err) {
        if (ret?.save && mapError(err).status === 'NO') s.box.saved = new Set(); // as for SEARCH (RFC 5182 §2.1)
        throw err;
      }
      return ok(`${isUid ? 'UID ' : ''}SORT completed`);
    },
  });
}

export const sortCommands: CommandTable = {
  SORT: sortCommand(false),
  'UID SORT': sortCommand(true),
};
