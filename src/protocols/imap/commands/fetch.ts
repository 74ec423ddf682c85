// FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8): answered from the metadata stored at ingest
// (envelope, body structure with offsets, size) and the stored bytes for body sections.
// Fetching a body without .PEEK marks the message seen in the shared seen set.
import { CoreError, isCoreError, ranges, type Message } from '../../../core/index.ts';
import type { CachedMessage } from '../message-cache.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, parseSeqSet } from '../parser.ts';
import { bodyStructure, envelope, flagList, imapDate } from '../render.ts';
import { parseFetchItems, parseFetchModifiers, type FetchItem } from './fetch-items.ts';
import { sectionBytes } from './sections.ts';
import { vanishedSince } from './qresync.ts';

/** How many messages are rendered before the output is handed to the socket. */
const BATCH = 250;

/** The message being rendered; one object reused for a whole FETCH (no closures per message). */
class Current {
  uid = 0;
  entry: CachedMessage = { msg: undefined as unknown as Message };
  private bytes: Buffer | undefined;

  constructor(private readonly s: Selected) {}

  reset(uid: number, entry: CachedMessage): void {
    this.uid = uid;
    this.entry = entry;
    this.bytes = undefined;
  }

  raw(): Buffer {
    return (this.bytes ??= this.s.core.messages.raw(this.s.actor, this.uid, this.s.box.room.roomnum));
  }

  load = (): Message => this.s.core.messages.get(this.s.actor, this.uid, this.s.box.room.roomnum);
}

function renderItem(s: Selected, item: FetchItem, cur: Current): string {
  const { uid, entry } = cur;
  const msg = entry.msg;
  switch (item.k) {
    case 'UID': return `UID ${uid}`;
    case 'MODSEQ': return `MODSEQ (${s.box.modseq(uid)})`;
    case 'FLAGS': return `FLAGS ${flagList(s.box.flags(uid))}`;
    case 'INTERNALDATE': return `INTERNALDATE ${imapDate(msg.time)}`;
    case 'RFC822.SIZE': return `RFC822.SIZE ${msg.size}`;
    case 'ENVELOPE': return `ENVELOPE ${(entry.envelope ??= envelope(msg.envelope))}`;
    case 'BODYSTRUCTURE': return `BODYSTRUCTURE ${(entry.structure ??= bodyStructure(msg.bodyStructure, true))}`;
    case 'BODY': return `BODY ${(entry.body ??= bodyStructure(msg.bodyStructure, false))}`;
    case 'section': {
      let data = sectionBytes(cur.raw(), msg.bodyStructure, item.section);
      if (item.partial) {
        const start = Math.min(item.partial.start, data.length);
        data = data.subarray(start, Math.min(data.length, start + item.partial.length));
      }
      return `${item.label} {${data.length}}\r\n${data.toString('latin1')}`;
    }
  }
}

export async function fetch(s: Selected, args: { set: string; items: FetchItem[]; isUid: boolean; changedSince?: number }): Promise<void> {
  const box = s.box;
  let uids = box.resolve(parseSeqSet(args.set), args.isUid);
  let items = args.isUid && !args.items.some((i) => i.k === 'UID') ? [{ k: 'UID' } as FetchItem, ...args.items] : args.items;
  if (items.some((i) => i.k === 'MODSEQ') || args.changedSince !== undefined) s.enableCondstore();
  if (args.changedSince !== undefined) {
    const since = args.changedSince;
    uids = uids.filter((u) => box.modseq(u) > since);
    if (!items.some((i) => i.k === 'MODSEQ')) items = [...items, { k: 'MODSEQ' }];
  }
  const marksSeen = !box.isExamine && items.some((i) => i.k === 'section' && !i.isPeek);
  const newlySeen = new Set<number>();
  if (marksSeen) {
    const seen = s.core.visits.get(s.actor.usernum, box.room.roomnum).seen;
    for (const u of uids) if (!box.isExpunged(u) && !ranges.has(seen, u)) newlySeen.add(u);
    if (newlySeen.size) {
      await s.core.visits.setFlag(s.actor, box.room.roomnum, [...newlySeen], 'seen', true);
      box.absorbOwnFlags(newlySeen);
    }
  }
  const needsMessage = items.some((i) => i.k !== 'UID' && i.k !== 'FLAGS');
  // room access is checked once here; cached messages of the view are then served directly
  if (!s.core.rooms.access(s.actor, box.room.roomnum).canRead) throw new CoreError('not-found', 'The mailbox no longer exists.');
  const alsoFlags = newlySeen.size > 0 && !items.some((i) => i.k === 'FLAGS');
  const cur = new Current(s);
  let n = 0;
  for (const uid of uids) {
    if (box.isExpunged(uid)) continue; // gone from the room; reported as EXPUNGE after the command
    cur.reset(uid, cur.entry);
    if (needsMessage) {
      try {
        cur.reset(uid, s.cache.get(uid, cur.load));
      } catch (err) {
        if (isCoreError(err) && err.kind === 'not-found') continue; // removed since the view was built: EXPUNGE follows
        throw err;
      }
    }
    let line = `* ${box.seqOf(uid)} FETCH (`;
    for (let i = 0; i < items.length; i++) line += (i ? ' ' : '') + renderItem(s, items[i]!, cur);
    if (alsoFlags && newlySeen.has(uid)) line += ` FLAGS ${flagList(box.flags(uid))}`;
    s.send(`${line})\r\n`);
    if (++n % BATCH === 0) await s.drain();
  }
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
        const vanished = vanishedSince(s, mods.changedSince!, parseSeqSet(set));
        if (vanished) s.send(`* VANISHED (EARLIER) ${vanished}\r\n`);
      }
      await fetch(s, { set, items: parseFetchItems(cmd.args[1]), isUid, ...mods });
      return ok(`${isUid ? 'UID ' : ''}FETCH completed`);
    },
  });
}

export const fetchCommands: CommandTable = {
  FETCH: fetchCommand(false),
  'UID FETCH': fetchCommand(true),
};
