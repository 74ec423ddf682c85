// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8): keys evaluated against the flags of the
// visit record and the metadata stored at ingest (envelope, header index, size, plain text);
// RETURN options answer with * ESEARCH (search-return.ts).
import { CoreError, fieldsOf, isCoreError, keywordRanges, ranges, type Core, type Message } from '../../../core/index.ts';

type VisitRecord = ReturnType<Core['visits']['get']>;
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, mapError, ok } from '../errors.ts';
import { asString, inSeqSet, resolveSeqSet } from '../parser.ts';
import { str } from '../render.ts';
import { emailId, threadId } from '../object-ids.ts';
import { needsMessage, parseSearch, usesModseq, type SearchKey } from './search-keys.ts';
import { esearchReply, parseReturn, type ReturnOptions } from './search-return.ts';

const DAY = 86_400_000;
const RETURN_ALL: ReturnOptions = { min: false, max: false, all: true, count: false, save: false, update: false };

/** The message being tested; one object reused for every message of a search. */
class Candidate {
  /** the message number (the view's identity) and its UID and sequence number */
  num = 0;
  uid = 0;
  seq = 0;
  msg: Message | undefined;
  /** the one clock reading OLDER and YOUNGER compare with */
  readonly now = Date.now();
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
    case 'keyword': return ranges.has(keywordRanges(c.visit.keywords, k.keyword), c.num) === k.isOn;
    case 'recent': return c.s.box.isRecent(c.num);
    case 'new': return c.s.box.isRecent(c.num) && !ranges.has(c.visit.seen, c.num);
    case 'old': return !c.s.box.isRecent(c.num);
    case 'seq': return inSeqSet(ctx.get(k)!, c.seq);
    case 'uid': return inSeqSet(ctx.get(k)!, c.uid);
    case 'not': return !matches(c, k.key, ctx);
    case 'or': return matches(c, k.a, ctx) || matches(c, k.b, ctx);
    case 'and': return k.keys.every((x) => matches(c, x, ctx));
    case 'modseq': return c.s.box.modseq(c.num) >= k.min;
    case 'saved': return c.s.box.saved.has(c.num);
    case 'among': return k.nums.has(c.num);
    case 'within': {
      const age = c.now - c.msg!.time;
      // RFC 5032: OLDER is strictly older than the interval, YOUNGER younger or equal
      return k.op === 'older' ? age > k.seconds * 1000 : age <= k.seconds * 1000;
    }
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

/**
 * Test the selected mailbox's messages against the keys, in sequence order (only those in `only`
 * if given): yields each message's number when it matches, undefined when not, so a caller can
 * take turns between messages.
 */
function* scan(s: Selected, key: SearchKey, only?: Set<number>): Generator<number | undefined> {
  const box = s.box;
  const roomnum = box.room.roomnum;
  const visit = s.core.visits.get(s.actor.usernum, roomnum);
  const wantsMessage = needsMessage(key);
  const ctx = resolveSets(key, { maxSeq: box.exists, maxUid: box.uids.at(-1) ?? 0 }, new Map());
  if (!s.core.rooms.access(s.actor, roomnum).canRead) throw new CoreError('not-found', 'The mailbox no longer exists.');
  const c = new Candidate(s, visit);
  // an updating search looks again at the few messages that changed, not the whole view
  const at = only ? [...only].map((n) => box.seqOf(n) - 1).filter((i) => i >= 0).sort((a, b) => a - b) : undefined;
  const count = at ? at.length : box.nums.length;
  for (let k = 0; k < count; k++) {
    const i = at ? at[k]! : k;
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
    yield matches(c, key, ctx) ? num : undefined;
  }
}

/**
 * Messages (message numbers) of the selected mailbox matching the keys, in sequence order. A big
 * mailbox is tested in slices, with turns for other sessions between them (issue 16).
 */
export async function search(s: Selected, key: SearchKey): Promise<number[]> {
  const out: number[] = [];
  for (const num of scan(s, key)) {
    if (num !== undefined) out.push(num);
    if (s.isTurnOver) await s.drain();
  }
  return out;
}

/** The same at once among a few messages: an updating search re-checking what just changed. */
export function searchAmong(s: Selected, key: SearchKey, only: Set<number>): number[] {
  const out: number[] = [];
  for (const num of scan(s, key, only)) if (num !== undefined) out.push(num);
  return out;
}

/** Numbers per part of a long SEARCH response, each part a chance for others to take a turn. */
const NUMBERS_PER_PART = 4096;

/** `* SEARCH n n …` (or SORT) of any length in parts, with turns for others between them. */
export async function sendNumbers(s: Selected, verb: 'SEARCH' | 'SORT', nums: number[], tail = ''): Promise<void> {
  s.send(`* ${verb}`);
  for (let at = 0; at < nums.length; at += NUMBERS_PER_PART) {
    s.send(` ${nums.slice(at, at + NUMBERS_PER_PART).join(' ')}`);
    await s.drain();
  }
  s.send(`${tail}\r\n`);
}

function searchCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      const { ret: asked, rest } = parseReturn(cmd.args);
      // IMAP4rev2 has no * SEARCH: a SEARCH without RETURN answers as RETURN (ALL) does (RFC 9051 §6.4.4)
      const ret = asked ?? (s.isRev2 ? RETURN_ALL : undefined);
      try {
        if (ret?.update) checkUpdateTag(s, cmd.tag);
        const key = parseSearch(rest);
        const found = await search(s, key);
        const withModseq = usesModseq(key);
        if (withModseq) s.enableCondstore();
        if (ret) {
          if (ret.update) watch(s, cmd.tag, key, found, { isUid });
          const line = esearchReply(s, cmd.tag, ret, found, { isUid, isSorted: false, withModseq });
          if (line) s.send(line);
        } else await classicReply(s, found, isUid, withModseq);
      } catch (err) {
        // RFC 5182 §2.1: a SAVE answered NO leaves $ empty; one answered BAD must not change it
        if (ret?.save && mapError(err).status === 'NO') s.box.saved = new Set();
        throw err;
      }
      return ok(`${isUid ? 'UID ' : ''}SEARCH completed`);
    },
  });
}

/**
 * Sequence numbers and $ mean what they meant when the search ran (RFC 5267 §4.3), so an
 * updating search keeps them as the messages they named then.
 */
function pinned(s: Selected, k: SearchKey): SearchKey {
  switch (k.k) {
    case 'seq': return { k: 'among', nums: new Set(s.box.resolve(k.set, false)) };
    case 'saved': return { k: 'among', nums: new Set(s.box.saved) };
    case 'not': return { k: 'not', key: pinned(s, k.key) };
    case 'or': return { k: 'or', a: pinned(s, k.a), b: pinned(s, k.b) };
    case 'and': return { k: 'and', keys: k.keys.map((x) => pinned(s, x)) };
    default: return k;
  }
}

/** RFC 5267 §4.3: the tag names an updating search, so it may not name another one. */
export function checkUpdateTag(s: Selected, tag: string): void {
  if (s.box.searches.has(tag)) throw new ImapError('BAD', 'That tag already names an updating search');
}

/**
 * Keep a search (or a SORT, with its order) as an updating context; past the limit, say
 * NOUPDATE and answer anyway (RFC 5267 §4.3.1).
 */
export function watch(s: Selected, tag: string, key: SearchKey, found: number[], opts: { isUid: boolean; compare?: (a: number, b: number) => number }): void {
  const fixed = pinned(s, key);
  const isAdded = s.box.searches.add({ tag, isUid: opts.isUid, result: [...found], compare: opts.compare, evaluate: (only) => new Set(searchAmong(s, fixed, only)),
    // a bug is logged with its stack; an expected refusal (the room went away) as a warning
    onError: (err) => s.log[mapError(err).isBug ? 'error' : 'warn']({ err, tag }, 'updating search failed; it is stopped') });
  if (!isAdded) s.send(`* NO [NOUPDATE ${str(tag)}] Too many updating searches\r\n`);
}

/** * SEARCH n n …, with (MODSEQ m) when the keys used MODSEQ (RFC 7162 §3.1.5), sent in parts. */
function classicReply(s: Selected, found: number[], isUid: boolean, withModseq: boolean): Promise<void> {
  const nums = found.map((n) => (isUid ? s.box.uidOf(n) : s.box.seqOf(n)));
  const modseq = withModseq && found.length ? ` (MODSEQ ${found.reduce((m, n) => Math.max(m, s.box.modseq(n)), 0)})` : '';
  return sendNumbers(s, 'SEARCH', nums, modseq);
}

export const searchCommands: CommandTable = {
  SEARCH: searchCommand(false),
  'UID SEARCH': searchCommand(true),
  /** RFC 5267 §4.3.5: end updating searches, named by their tags */
  CANCELUPDATE: command({
    needs: 'selected',
    async run(s, cmd) {
      if (cmd.args.length === 0) throw new ImapError('BAD', 'CANCELUPDATE needs the tags of updating searches');
      const tags = cmd.args.map((v) => asString(v, 'a tag'));
      const unknown = tags.find((t) => !s.box.searches.has(t));
      if (unknown !== undefined) throw new ImapError('NO', `No updating search has the tag ${unknown.slice(0, 30)}`);
      for (const t of tags) s.box.searches.cancel(t);
      return ok('Updates cancelled');
    },
  }),
};
