// Message commands (protocol/messages.md): MSGS, MSG0, MSG2, MSG4, ENT0.
import { isCoreError, type ListWhich, type Recipient } from '../../../core/index.ts';
import { ERR } from '../codes.ts';
import { field, intField } from '../parser.ts';
import { fail, listing, ok, receive, stream } from '../reply.ts';
import { msg0Lines, msg4Lines, textLines, type MessageView } from '../render.ts';
import type { CommandTable, InRoom } from './types.ts';

/** The user flag "show the last old message with NEW" (GETU/SETU bit 16). */
const LAST_OLD = 16;

function parseWhich(args: string[]): ListWhich | { kind: 'search'; words: string } {
  const which = field(args, 0).trim().toUpperCase() || 'ALL';
  const n = intField(args, 1);
  const needN = (kind: 'last' | 'first' | 'gt' | 'lt'): ListWhich => {
    if (n === undefined || n < 0) fail(ERR.ILLEGAL_VALUE, `MSGS ${which} needs a number.`);
    return { kind, n };
  };
  switch (which) {
    case 'ALL': return { kind: 'all' };
    case 'NEW': return { kind: 'new' };
    case 'OLD': return { kind: 'old' };
    case 'LAST': return needN('last');
    case 'FIRST': return needN('first');
    case 'GT': return needN('gt');
    case 'LT': return needN('lt');
    case 'SEARCH': {
      // the words stand where the other modes have their count
      const words = field(args, 1).trim();
      if (!words) fail(ERR.ILLEGAL_VALUE, 'MSGS SEARCH needs something to search for.');
      return { kind: 'search', words };
    }
    default: return fail(ERR.ILLEGAL_VALUE, `Unknown MSGS mode '${which}'.`);
  }
}

function* asText(nums: Iterable<number>): Generator<string> {
  for (const n of nums) yield String(n);
}

function view({ s, actor, roomnum }: InRoom, msgnum: number | undefined): MessageView {
  if (msgnum === undefined || msgnum <= 0) fail(ERR.ILLEGAL_VALUE, 'A message number is required.');
  const { message, text } = s.core.messages.read(actor, msgnum, roomnum);
  return { message, text, nodeName: s.config.nodeName, humanNode: s.config.humanNode };
}

/** Recipients of ENT0: to (field 1), cc (7) and bcc (8), comma-separated. */
const recipientsOf = (args: string[]) =>
  [1, 7, 8].flatMap((i) => field(args, i).split(',')).map((r) => r.trim()).filter((r) => r !== '');

/** ENT0's checks, done before a 4xx so a refusal is a clear 5xx (protocol/messages.md §ENT0). */
async function checkEntry(r: InRoom, args: string[]): Promise<{ to: string[]; format: number }> {
  const { s, actor, roomnum } = r;
  const room = s.core.rooms.get(actor, roomnum);
  const to = recipientsOf(args);
  const format = intField(args, 3) ?? 0;
  if (![0, 1, 4].includes(format)) fail(ERR.ILLEGAL_VALUE, `Unknown message format ${format}.`);
  if (to.length === 0) {
    if (room.kind === 'mailbox' || room.kind === 'direct') fail(ERR.NO_SUCH_USER, 'At least one recipient is required.');
    if (!s.core.rooms.access(actor, roomnum).canPost) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required to post in this room.');
    return { to, format };
  }
  if (format === 4) fail(ERR.ILLEGAL_VALUE, 'MIME (format 4) is accepted for room posts only.');
  // core's one resolver: `alice`, `alice @ keep`, any address of hers, a list address, or a
  // valid Internet address; anything else is refused now rather than queued and bounced later
  let remotes = 0;
  const targets: Recipient[] = [];
  for (const t of to) {
    let target: Recipient;
    try {
      target = s.core.delivery.resolve(t);
    } catch (err) {
      if (isCoreError(err) && (err.kind === 'not-found' || err.kind === 'invalid')) fail(ERR.NO_SUCH_USER, err.message);
      throw err;
    }
    // a list's bounce and unsubscribe addresses take mail from outside only
    if (target.kind === 'list-control') fail(ERR.NO_SUCH_USER, `No such user '${t}'.`);
    if (target.kind === 'remote') remotes += 1;
    targets.push(target);
  }
  // no reply follows the text, so a full mailbox (KEEP_QUOTA_MB) is refused now: 511
  s.core.delivery.checkMailRoom(actor, targets);
  // may this account mail the Internet, and has it room left this hour? (counted when stored)
  await s.core.sendPolicy.checkInternet(actor, remotes, { isDryRun: true });
  return { to, format };
}

export const messageCommands: CommandTable = {
  MSGS: {
    needs: 'room',
    summary: 'List message numbers: ALL|OLD|NEW|LAST|FIRST|GT|LT, count; or SEARCH, words (§MSGS)',
    async run({ s, actor, roomnum }, c) {
      const which = parseWhich(c.args);
      if ((intField(c.args, 2) ?? 0) !== 0) fail(ERR.CMD_NOT_SUPPORTED, 'MSGS templates are not supported.');
      if (which.kind === 'search') return listing('Message list:', (await s.core.messages.search(actor, roomnum, which.words)).map(String));
      const withLastOld = which.kind === 'new' && (s.core.users.getByNum(actor.usernum).flags & LAST_OLD) !== 0;
      // a big room's numbers are read as the listing is written, in slices (issue 16)
      return stream('Message list:', asText(s.core.messages.walk(actor, roomnum, which, { withLastOld })));
    },
  },
  MSG4: {
    needs: 'room',
    summary: 'A message with a MIME header block: num|mode (0 all, 1 headers, 2 body) (§MSG4)',
    errors: { 'not-found': ERR.MESSAGE_NOT_FOUND },
    run(r, c) {
      const mode = intField(c.args, 1) ?? 0;
      const v = view(r, intField(c.args, 0));
      return listing('msg:', msg4Lines(v, mode === 1 ? 'headers' : mode === 2 ? 'body' : 'all'));
    },
  },
  MSG0: {
    needs: 'room',
    summary: 'A message in Citadel format: num|mode (0 all, 1 headers, 2 body) (§MSG0)',
    errors: { 'not-found': ERR.MESSAGE_NOT_FOUND },
    run(r, c) {
      const mode = intField(c.args, 1) ?? 0;
      const v = view(r, intField(c.args, 0));
      const lines = mode === 2 ? ['text', ...textLines(v.text)] : msg0Lines(v, mode === 1);
      return listing('msg:', lines);
    },
  },
  MSG2: {
    needs: 'room',
    summary: 'A message as raw RFC 5322: num (§MSG2)',
    errors: { 'not-found': ERR.MESSAGE_NOT_FOUND },
    run({ s, actor, roomnum }, c) {
      const n = intField(c.args, 0);
      if (n === undefined || n <= 0) fail(ERR.ILLEGAL_VALUE, 'A message number is required.');
      const raw = s.core.messages.raw(actor, n, roomnum);
      return listing('Message follows:', textLines(raw.toString('utf8')));
    },
  },
  SEEN: {
    needs: 'room',
    summary: 'Mark one message seen (1) or unseen (0): num|1 (§SEEN)',
    errors: { 'not-found': ERR.MESSAGE_NOT_FOUND },
    async run({ s, actor, roomnum }, c) {
      const n = intField(c.args, 0);
      const isSeen = intField(c.args, 1) ?? 1;
      if (n === undefined || n <= 0 || (isSeen !== 0 && isSeen !== 1)) fail(ERR.ILLEGAL_VALUE, 'Usage: SEEN num|0 or SEEN num|1');
      s.core.messages.get(actor, n, roomnum);
      await s.core.visits.setFlag(actor, roomnum, [n], 'seen', isSeen === 1);
      return ok('ok');
    },
  },
  ENT0: {
    needs: 'room',
    summary: 'Enter a message: post|to|anon|format|subject|author|…|cc|bcc|…|references (§ENT0)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    async run(r, c) {
      const { s, actor, roomnum } = r;
      const { to, format } = await checkEntry(r, c.args);
      const post = intField(c.args, 0) ?? 0;
      if (post === 0) return ok(`${to.join(', ')}|0`);
      if (post !== 1) fail(ERR.ILLEGAL_VALUE, `Unknown ENT0 mode ${post}.`);
      const subject = field(c.args, 4).trim();
      const references = field(c.args, 11).split('!').map((x) => x.trim()).filter((x) => x !== '');
      const authorName = field(c.args, 5).trim();
      return receive('send message', async (lines) => {
        const text = lines.length ? `${lines.join('\n')}\n` : '';
        if (to.length) {
          const m = await s.core.messages.mail(actor, { to, text, subject, references, textFormat: format });
          s.log.info({ msgnum: m.msgnum, rcpts: to.length }, 'mail entered');
        } else if (format === 4) {
          // no reply may follow the text (protocol/messages.md §ENT0), so a From that is not the
          // author's cannot be refused: core keeps it beside a Sender naming the author
          const m = await s.core.messages.postRaw(actor, { raw: Buffer.from(lines.join('\r\n') + '\r\n'), roomnums: [roomnum], onForeignFrom: 'stamp' });
          s.log.info({ msgnum: m.msgnum, room: roomnum }, 'MIME message entered');
        } else {
          const m = await s.core.messages.post(actor, { roomnum, text, subject, references, textFormat: format, ...(authorName ? { authorName } : {}) });
          s.log.debug({ msgnum: m.msgnum, room: roomnum }, 'message entered');
        }
      }, { isPosting: true });
    },
  },
};
