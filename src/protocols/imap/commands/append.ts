// APPEND (RFC 3501 §6.3.11, RFC 4315 APPENDUID, RFC 3502 MULTIAPPEND, RFC 3516 literal8, RFC 4469
// CATENATE, RFC 6855 UTF8 data item): every message of one command is stored through core in one transaction, all or
// none, with its flags; the tagged OK is sent only after that commit resolved. Into a room
// others read, core refuses a From that is not the user's (NO [NOPERM]).
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asString, parseDateTime, type Value } from '../parser.ts';
import { resolveFolder } from '../folders.ts';
import { seqSetString } from '../render.ts';
import { parseFlags, type Flag } from './flags.ts';
import { catenate, parseCatParts, type CatPart, type UrlCache } from './catenate.ts';

/** One message of an APPEND as the client sent it: a literal, or parts to catenate. */
export interface AppendMessage {
  flags: Flag[];
  time?: number;
  data: { kind: 'literal'; raw: Buffer; isLiteral8: boolean } | { kind: 'catenate'; parts: CatPart[] };
}

const DATE_TIME = /^ ?\d{1,2}-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;

/** append-message *(append-message) after the mailbox: [flag-list] [date-time] (literal / CATENATE (…)), repeated. */
export function parseAppendMessages(args: Value[], opts: { isUtf8: boolean }): AppendMessage[] {
  const out: AppendMessage[] = [];
  let i = 0;
  while (i < args.length) {
    let flags: Flag[] = [];
    let time: number | undefined;
    if (args[i]?.t === 'list') flags = parseFlags((args[i++] as { v: Value[] }).v);
    const maybeDate = args[i];
    if (maybeDate?.t === 'string' && !maybeDate.isLiteral && DATE_TIME.test(maybeDate.v)) {
      time = parseDateTime(maybeDate.v);
      i += 1;
    }
    const msg = args[i++];
    const when = time !== undefined ? { time } : {};
    if (msg?.t === 'atom' && msg.v.toUpperCase() === 'CATENATE' && args[i]?.t === 'list') {
      out.push({ flags, ...when, data: { kind: 'catenate', parts: parseCatParts((args[i++] as { v: Value[] }).v) } });
      continue;
    }
    if (msg?.t === 'atom' && msg.v.toUpperCase() === 'UTF8' && args[i]?.t === 'list') {
      out.push({ flags, ...when, data: { kind: 'literal', raw: utf8Data((args[i++] as { v: Value[] }).v, opts.isUtf8), isLiteral8: false } });
      continue;
    }
    // only a literal is a message (RFC 3501 §9): a date-time Keep cannot read must not become one
    if (!msg || msg.t !== 'string' || !msg.isLiteral) throw new ImapError('BAD', 'APPEND needs a message literal (or a date-time it can read)');
    if (msg.bytes.length === 0) throw new ImapError('BAD', 'An empty message cannot be appended');
    out.push({ flags, ...when, data: { kind: 'literal', raw: msg.bytes, isLiteral8: msg.isLiteral8 === true } });
  }
  if (out.length === 0) throw new ImapError('BAD', 'APPEND needs a message literal');
  return out;
}

/**
 * APPEND's UTF8 data item (RFC 6855 §4): one literal8 holding a message whose header may carry
 * UTF-8 (RFC 6532); it is stored as sent. Only after ENABLE UTF8=ACCEPT.
 */
function utf8Data(list: Value[], isUtf8: boolean): Buffer {
  if (!isUtf8) throw new ImapError('BAD', 'The UTF8 data item needs ENABLE UTF8=ACCEPT first');
  const only = list[0];
  if (list.length !== 1 || only?.t !== 'string' || !only.isLiteral8) throw new ImapError('BAD', 'UTF8 takes one literal8: UTF8 (~{n})');
  if (only.bytes.length === 0) throw new ImapError('BAD', 'An empty message cannot be appended');
  return only.bytes;
}

/** A client saving what it just sent: its copy replaces the one the server saved (issue 20). */
async function replaceServerCopies(s: Authed, roomnum: number, stored: Awaited<ReturnType<Authed['core']['messages']['append']>>): Promise<void> {
  const sameAppend = new Set(stored.map((m) => m.msgnum));
  for (const m of stored) {
    try {
      await s.core.delivery.sentCopies.replaceServerCopy(s.actor, roomnum, m, Date.now(), sameAppend);
    } catch (err) {
      // the APPEND is committed and must be answered OK; at worst Sent keeps both copies
      s.log.error({ err, msgnum: m.msgnum }, "replacing the server's Sent copy failed");
    }
  }
}

export const appendCommands: CommandTable = {
  APPEND: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const [mbox, ...rest] = cmd.args;
      const name = s.nameFromWire(asString(mbox, 'a mailbox name'));
      const messages = parseAppendMessages(rest, { isUtf8: s.isUtf8 });
      let folder;
      try {
        folder = resolveFolder(s.core, s.actor, name);
      } catch (err) {
        throw new ImapError('NO', (err as Error).message, 'TRYCREATE');
      }
      const roomnum = folder.room.roomnum;
      // the messages of one command together stay within the size limit, as their literals do
      // (framer.ts): URLs cost a few bytes each but would otherwise each build a whole message
      let total = 0;
      const urls: UrlCache = new Map();
      const stored = await s.core.messages.append(s.actor, {
        roomnum,
        messages: messages.map((m) => {
          const { raw, isLiteral8 } = m.data.kind === 'literal' ? m.data : catenate(s, m.data.parts, s.config.maxMessageSize - total, urls);
          if (raw.length === 0) throw new ImapError('BAD', 'An empty message cannot be appended');
          total += raw.length;
          if (total > s.config.maxMessageSize) throw new ImapError('NO', `The messages would be over ${s.config.maxMessageSize} bytes together`, 'TOOBIG');
          return { raw, flags: m.flags, ...(m.time !== undefined ? { time: m.time } : {}), ...(isLiteral8 ? { isBinary: true } : {}) };
        }),
      });
      await replaceServerCopies(s, roomnum, stored);
      const uids = stored.map((m) => s.core.messages.placement(s.actor, roomnum, m.msgnum)?.uid ?? m.msgnum);
      return ok('APPEND completed', `APPENDUID ${folder.room.generation} ${seqSetString(uids)}`);
    },
  }),
};
