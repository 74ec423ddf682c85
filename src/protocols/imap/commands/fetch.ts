// FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8): answered from the metadata stored at ingest
// (envelope, body structure with offsets, size) and the stored bytes for body sections.
// Fetching a body without .PEEK marks the message seen in the shared seen set.
import { CoreError, isCoreError, ranges, type Message } from '../../../core/index.ts';
import type { CachedMessage } from '../message-cache.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, isSavedSet, parseSeqSet } from '../parser.ts';
import { bodyStructure, envelope, flagList, imapDate, str } from '../render.ts';
import { emailId, threadId } from '../object-ids.ts';
import { parseFetchItems, parseFetchModifiers, type FetchItem, type Partial } from './fetch-items.ts';
import { binaryBytes, sectionBytes } from './sections.ts';
import { vanishedSince } from './qresync.ts';

/** The message being rendered; one object reused for a whole FETCH (no closures per message). */
class Current {
  msgnum = 0;
  entry: CachedMessage | undefined;
  private bytes: Buffer | undefined;

  constructor(private readonly s: Selected) {}

  reset(msgnum: number, entry: CachedMessage | undefined, bytes?: Buffer): void {
    this.msgnum = msgnum;
    this.entry = entry;
    this.bytes = bytes;
  }

  raw(): Buffer {
    return (this.bytes ??= this.s.core.messages.raw(this.s.actor, this.msgnum, this.s.box.room.roomnum));
  }

  load = (): Message => this.s.core.messages.get(this.s.actor, this.msgnum, this.s.box.room.roomnum);
}

/** What a FETCH item says of a message that is gone from the room (RFC 2180 §4.1.3: NIL). */
function renderGone(s: Selected, item: FetchItem, n: number): string {
  switch (item.k) {
    case 'UID': return `UID ${s.box.uidOf(n)}`;
    case 'MODSEQ': return `MODSEQ (${s.box.modseq(n)})`;
    case 'FLAGS': return `FLAGS ${flagList(s.box.flags(n))}`;
    case 'EMAILID': return `EMAILID (${emailId(n)})`;
    case 'section':
    case 'binary': return `${item.label} NIL`;
    case 'binary-size': return `${item.label} 0`;
    default: return `${item.k} NIL`;
  }
}

/** A rendered FETCH item: wire text, or a literal's bytes (kept as bytes, sent in slices). */
type Part = string | Buffer;

function renderItem(s: Selected, item: FetchItem, cur: Current, out: Part[]): void {
  const n = cur.msgnum;
  if (item.k === 'UID') return void out.push(`UID ${s.box.uidOf(n)}`);
  if (item.k === 'MODSEQ') return void out.push(`MODSEQ (${s.box.modseq(n)})`);
  if (item.k === 'FLAGS') return void out.push(`FLAGS ${flagList(s.box.flags(n))}`);
  const entry = cur.entry!;
  const msg = entry.msg;
  switch (item.k) {
    case 'INTERNALDATE': return void out.push(`INTERNALDATE ${imapDate(msg.time)}`);
    case 'RFC822.SIZE': return void out.push(`RFC822.SIZE ${msg.size}`);
    case 'ENVELOPE': return void out.push(`ENVELOPE ${(entry.envelope ??= envelope(msg.envelope))}`);
    case 'BODYSTRUCTURE': return void out.push(`BODYSTRUCTURE ${(entry.structure ??= bodyStructure(msg.bodyStructure, true))}`);
    case 'BODY': return void out.push(`BODY ${(entry.body ??= bodyStructure(msg.bodyStructure, false))}`);
    case 'EMAILID': return void out.push(`EMAILID (${emailId(n)})`);
    case 'THREADID': return void out.push(`THREADID (${threadId(msg)})`);
    case 'PREVIEW': return void out.push(`PREVIEW ${str((entry.preview ??= s.core.messages.preview(s.actor, n, s.box.room.roomnum)))}`);
    case 'SAVEDATE': {
      const p = s.core.messages.placement(s.actor, s.box.room.roomnum, n);
      return void out.push(`SAVEDATE ${p ? imapDate(p.arrived) : 'NIL'}`);
    }
    case 'section': {
      const data = cut(sectionBytes(cur.raw(), msg.bodyStructure, item.section), item.partial);
      return void out.push(`${item.label} {${data.length}}\r\n`, data);
    }
    case 'binary': {
      const data = cut(binaryOf(cur, item.path), item.partial);
      // a NUL can travel only in a literal8 (RFC 3516 §4.2)
      return void out.push(`${item.label} ${data.includes(0) ? '~' : ''}{${data.length}}\r\n`, data);
    }
    case 'binary-size': return void out.push(`${item.label} ${binaryOf(cur, item.path).length}`);
  }
}

function cut(data: Buffer, partial: Partial | undefined): Buffer {
  if (!partial) return data;
  const start = Math.min(partial.start, data.length);
  return data.subarray(start, Math.min(data.length, start + partial.length));
}

function binaryOf(cur: Current, path: number[]): Buffer {
  const data = binaryBytes(cur.raw(), cur.entry!.msg.bodyStructure, path);
  if (!data) throw new ImapError('NO', `Part ${path.join('.')} has a transfer encoding this server cannot decode`, 'UNKNOWN-CTE');
  return data;
}

/** One message's FETCH response up to its closing parenthesis; undefined when its data is gone (removed since the view was built). */
function renderLine(s: Selected, items: FetchItem[], cur: Current): Part[] | undefined {
  const out: Part[] = [`* ${s.box.seqOf(cur.msgnum)} FETCH (`];
  try {
    for (let i = 0; i < items.length; i++) {
      if (i) out.push(' ');
      renderItem(s, items[i]!, cur, out);
    }
  } catch (err) {
    if (isCoreError(err) && err.kind === 'not-found') return undefined;
    throw err;
  }
  return out;
}

/** Bytes of a literal handed out per slice of a large FETCH answer. */
const LITERAL_SLICE = 64 * 1024;

/** Send a response's parts; a large literal goes in slices with turns for others between them (issue 16). */
async function sendParts(s: Selected, parts: Part[]): Promise<void> {
  for (const p of parts) {
    if (typeof p === 'string' || p.length <= LITERAL_SLICE) {
      s.send(p);
      continue;
    }
    for (let at = 0; at < p.length; at += LITERAL_SLICE) {
      s.send(p.subarray(at, at + LITERAL_SLICE));
      await s.drain();
    }
  }
}

/**
 * FETCH of the messages a set names. A message another session expunged meanwhile is still in
 * this session's view until EXPUNGE is reported: it is answered with NIL data, and the tagged
 * reply says EXPUNGEISSUED (RFC 2180 §4.1.3, RFC 5530). Returns whether that happened.
 */
export async function fetch(s: Selected, args: { set: string; items: FetchItem[]; isUid: boolean; changedSince?: number }): Promise<{ isExpungeIssued: boolean }> {
  const box = s.box;
  let nums = box.resolve(parseSeqSet(args.set), args.isUid);
  let items = args.isUid && !args.items.some((i) => i.k === 'UID') ? [{ k: 'UID' } as FetchItem, ...args.items] : args.items;
  if (items.some((i) => i.k === 'MODSEQ') || args.changedSince !== undefined) s.enableCondstore();
  if (args.changedSince !== undefined) {
    const since = args.changedSince;
    nums = nums.filter((n) => box.modseq(n) > since);
    if (!items.some((i) => i.k === 'MODSEQ')) items = [...items, { k: 'MODSEQ' }];
  }
  const marksSeen = !box.isExamine && items.some((i) => (i.k === 'section' || i.k === 'binary') && !i.isPeek);
  const newlySeen = new Set<number>();
  if (marksSeen) {
    const seen = s.core.visits.get(s.actor.usernum, box.room.roomnum).seen;
    for (const n of nums) if (!box.isExpunged(n) && !ranges.has(seen, n)) newlySeen.add(n);
    if (newlySeen.size) {
      await s.core.visits.setFlag(s.actor, box.room.roomnum, [...newlySeen], 'seen', true);
      box.absorbOwnFlags(newlySeen);
    }
  }
  const needsMessage = items.some((i) => i.k !== 'UID' && i.k !== 'FLAGS' && i.k !== 'MODSEQ');
  const wantsFlags = items.some((i) => i.k === 'FLAGS') || newlySeen.size > 0;
  // room access is checked once here; cached messages of the view are then served directly
  if (!s.core.rooms.access(s.actor, box.room.roomnum).canRead) throw new CoreError('not-found', 'The mailbox no longer exists.');
  if (wantsFlags) for (const l of box.announce(nums.flatMap((n) => box.flags(n).keywords))) s.send(l);
  const alsoFlags = newlySeen.size > 0 && !items.some((i) => i.k === 'FLAGS');
  const cur = new Current(s);
  let isExpungeIssued = false;
  for (const n of nums) {
    cur.reset(n, undefined);
    let line: Part[] | undefined;
    if (!box.isExpunged(n)) {
      try {
        if (needsMessage) cur.reset(n, s.cache.get(n, cur.load));
        line = renderLine(s, items, cur);
      } catch (err) {
        if (!(isCoreError(err) && err.kind === 'not-found')) throw err;
      }
    }
    if (line === undefined) {
      isExpungeIssued = true;
      // expunged by another session: its data while core still keeps it, else NIL
      const kept = s.core.messages.removedFrom(s.actor, n, box.room.roomnum);
      if (kept) {
        cur.reset(n, { msg: kept.message }, kept.raw);
        line = renderLine(s, items, cur);
      }
      line ??= [`* ${box.seqOf(n)} FETCH (${items.map((i) => renderGone(s, i, n)).join(' ')}`];
    }
    if (alsoFlags && newlySeen.has(n)) line.push(` FLAGS ${flagList(box.flags(n))}`);
    line.push(')\r\n');
    await sendParts(s, line);
    await s.drain(); // a turn for others, and a wait if the client is behind (issue 16)
  }
  return { isExpungeIssued };
}

function fetchCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      if (cmd.args.length < 2) throw new ImapError('BAD', 'FETCH needs a sequence set and data items');
      if (cmd.args.length > 3) throw new ImapError('BAD', 'Too many FETCH arguments');
      const set = asAtom(cmd.args[0], 'a sequence set');
      if (!isUid && s.box.isOutOfRange(parseSeqSet(set))) throw new ImapError('BAD', 'Message sequence number out of range');
      const mods = parseFetchModifiers(cmd.args[2]);
      if (mods.isVanished) {
        if (!isUid || !s.isQresync) throw new ImapError('BAD', 'VANISHED needs UID FETCH and ENABLE QRESYNC');
        const named = parseSeqSet(set);
        // `$` names messages still present; what vanished is asked of the whole UID range
        const vanished = vanishedSince(s, mods.changedSince!, isSavedSet(named) ? undefined : named);
        if (vanished) s.send(`* VANISHED (EARLIER) ${vanished}\r\n`);
      }
      const { isExpungeIssued } = await fetch(s, { set, items: parseFetchItems(cmd.args[1]), isUid, ...mods });
      if (isExpungeIssued) return ok('Some messages were expunged meanwhile', 'EXPUNGEISSUED');
      return ok(`${isUid ? 'UID ' : ''}FETCH completed`);
    },
  });
}

export const fetchCommands: CommandTable = {
  FETCH: fetchCommand(false),
  'UID FETCH': fetchCommand(true),
};
