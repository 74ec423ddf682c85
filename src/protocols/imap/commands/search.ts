// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8): keys evaluated against the flags of the
// visit record and the metadata stored at ingest (envelope, header index, size, plain text).
import { CoreError, fieldsOf, isCoreError, ranges, type Core, type Message } from '../../../core/index.ts';

type VisitRecord = ReturnType<Core['visits']['get']>;
import { command, type CommandTable, type Selected } from './types.ts';
import { ok } from '../errors.ts';
import { seqSetString, str } from '../render.ts';
import { inSeqSet, resolveSeqSet } from '../parser.ts';
import { emailId, threadId } from '../object-ids.ts';
import { needsMessage, parseSearch, usesModseq, type SearchKey } from './search-keys.ts';

const DAY = 86_400_000;

/** The message being tested; one object reused for every message of a search. */
class Candidate {
  /** the message number (the view's identity) and its UID and sequence number */
  num = 0;
  uid = 0;
  seq = 0;
  msg: Message | undefined;
  private textCache: string | undefined;

  constructor(readonly s: Selected, readonly visit: VisitRecord) {}

  reset(num: number, uid: number, seq: number, msg: Message | undefined): void {
    this.num = num;
    this.uid = uid;
    this.seq = seq;
    this.msg = msg;
    this.textCache = undefined;
  }

  /** plain text, read on first use */
  text(): string {
    return (this.textCache ??= this.s.core.messages.text(this.s.actor, this.num, this.s.box.room.roomnum));
  }

  /** a header field's values, from the index core's builder keeps for every message */
  header(name: string): string[] {
    return fieldsOf(this.msg!.headers, name);
  }
}

type Resolved = Map<SearchKey, { from: number; to: number }[]>;

/** Sequence and UID sets resolved once against the mailbox, not per message. */
function resolveSets(k: SearchKey, ctx: { maxSeq: number; maxUid: number }, out: Resolved): Resolved {
  if (k.k === 'seq') out.set(k, resolveSeqSet(k.set, ctx.maxSeq));
  else if (k.k === 'uid') out.set(k, resolveSeqSet(k.set, ctx.maxUid));
  else if (k.k === 'not') resolveSets(k.key, ctx, out);
  else if (k.k === 'or') { resolveSets(k.a, ctx, out); resolveSets(k.b, ctx, out); }
  else if (k.k === 'and') for (const x of k.keys) resolveSets(x, ctx, out);
  return out;
}

const has = (hay: string | undefined, needle: string) => (hay ?? '').toLowerCase().includes(needle.toLowerCase());

function dayOf(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

const ZONES: Record<string, number> = { UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };

/**
 * The calendar day of a Date: header in its own zone (RFC 3501 §6.4.4: SENTON and the like
 * disregard time and timezone, so "Thu, 15 Feb 2007 01:02:03 +0200" is 15 Feb, not 14 Feb UTC).
 */
export function sentDay(header: string | undefined): number {
  const t = Date.parse(header ?? '');
  if (Number.isNaN(t)) return NaN;
  const m = /([+-])(\d{2})(\d{2})\s*(?:\([^)]*\)\s*)?$/.exec(header!) ?? /\b([A-Z]{1,3})\s*(?:\([^)]*\)\s*)?$/i.exec(header!);
  let minutes = 0;
  if (m && m[3] !== undefined) minutes = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1);
  else if (m) minutes = ZONES[m[1]!.toUpperCase()] ?? 0;
  return dayOf(t + minutes * 60_000);
}

/** The day a message was placed in the selected room (SAVEDATE, RFC 8514). */
function savedDay(c: Candidate): number {
  const p = c.s.core.messages.placement(c.s.actor, c.s.box.room.roomnum, c.num);
  return p ? dayOf(p.arrived) : NaN;
}

function matches(c: Candidate, k: SearchKey, ctx: Resolved): boolean {
  switch (k.k) {
    case 'all': return true;
    case 'flag': return ranges.has(c.visit[k.flag], c.num) === k.isOn;
    case 'keyword': return ranges.has(c.visit.keywords[k.keyword] ?? [], c.num) === k.isOn;
    case 'recent': return c.s.box.isRecent(c.num);
    case 'new': return c.s.box.isRecent(c.num) && !ranges.has(c.visit.seen, c.num);
    case 'old': return !c.s.box.isRecent(c.num);
    case 'seq': return inSeqSet(ctx.get(k)!, c.seq);
    case 'uid': return inSeqSet(ctx.get(k)!, c.uid);
    case 'not': return !matches(c, k.key, ctx);
    case 'or': return matches(c, k.a, ctx) || matches(c, k.b, ctx);
    case 'and': return k.keys.every((x) => matches(c, x, ctx));
    case 'modseq': return c.s.box.modseq(c.num) >= k.min;
    case 'size': return k.op === 'larger' ? c.msg!.size > k.n : c.msg!.size < k.n;
    case 'subject': return has(c.msg!.subject, k.value) || has(c.msg!.envelope.subject, k.value);
    case 'addr': {
      const list = c.msg!.envelope[k.field === 'from' ? 'from' : k.field];
      return list.some((a) => has(a.name, k.value) || has(a.address, k.value)) || c.header(k.field).some((h) => has(h, k.value));
    }
    case 'header': {
      const values = c.header(k.field);
      return k.value === '' ? values.length > 0 : values.some((h) => has(h, k.value));
    }
    case 'body': return has(c.text(), k.value);
    case 'emailid': return emailId(c.num) === k.id;
    case 'threadid': return threadId(c.msg!) === k.id;
    case 'text': return has(c.text(), k.value) || has(c.msg!.subject, k.value) || c.msg!.envelope.from.some((a) => has(a.name, k.value) || has(a.address, k.value)) || c.msg!.headers.some(([, v]) => has(v, k.value));
    case 'date': {
      const d = k.which === 'internal' ? dayOf(c.msg!.time) : k.which === 'saved' ? savedDay(c) : sentDay(c.msg!.envelope.date);
      if (Number.isNaN(d)) return false;
      return k.op === 'before' ? d < k.day : k.op === 'on' ? d === k.day : d >= k.day;
    }
  }
}

/** Messages (message numbers) of the selected mailbox matching the keys, in sequence order. */
export function search(s: Selected, key: SearchKey): number[] {
  const box = s.box;
  const roomnum = box.room.roomnum;
  const visit = s.core.visits.get(s.actor.usernum, roomnum);
  const wantsMessage = needsMessage(key);
  const ctx = resolveSets(key, { maxSeq: box.exists, maxUid: box.uids.at(-1) ?? 0 }, new Map());
  if (!s.core.rooms.access(s.actor, roomnum).canRead) throw new CoreError('not-found', 'The mailbox no longer exists.');
  const out: number[] = [];
  const c = new Candidate(s, visit);
  for (let i = 0; i < box.nums.length; i++) {
    const num = box.nums[i]!;
    if (box.isExpunged(num)) continue;
    let msg: Message | undefined;
    if (wantsMessage) {
      try {
        msg = s.cache.get(num, () => s.core.messages.get(s.actor, num, roomnum)).msg;
      } catch (err) {
        if (isCoreError(err) && err.kind === 'not-found') continue; // removed meanwhile
        throw err;
      }
    }
    c.reset(num, box.uids[i]!, i + 1, msg);
    if (matches(c, key, ctx)) out.push(num);
  }
  return out;
}

function searchCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      const key = parseSearch(cmd.args);
      const found = search(s, key);
      const nums = found.map((n) => (isUid ? s.box.uidOf(n) : s.box.seqOf(n)));
      let highest: number | undefined;
      if (usesModseq(key)) {
        s.enableCondstore();
        if (found.length) highest = found.reduce((m, n) => Math.max(m, s.box.modseq(n)), 0);
      }
      s.send(s.isRev2 ? esearchAll(cmd.tag, isUid, nums, highest) : `* SEARCH${nums.length ? ` ${nums.join(' ')}` : ''}${highest ? ` (MODSEQ ${highest})` : ''}\r\n`);
      return ok(`${isUid ? 'UID ' : ''}SEARCH completed`);
    },
  });
}

/** IMAP4rev2 has no * SEARCH: a SEARCH without RETURN answers as RETURN (ALL) does (RFC 9051 §6.4.4, §7.3.4). */
function esearchAll(tag: string, isUid: boolean, nums: number[], highest: number | undefined): string {
  return `* ESEARCH (TAG ${str(tag)})${isUid ? ' UID' : ''}${nums.length ? ` ALL ${seqSetString(nums)}` : ''}${highest ? ` MODSEQ ${highest}` : ''}\r\n`;
}

export const searchCommands: CommandTable = {
  SEARCH: searchCommand(false),
  'UID SEARCH': searchCommand(true),
};
