// POST (RFC 3977 §6.3.1, RFC 5537 §3.5): the Newsgroups header names rooms; one message with a
// placement in each (cross-posting); References are kept as sent (follow-ups). 240 is sent only
// after core's delivery has committed durably.
import { randomBytes } from 'node:crypto';
import { isCoreError, LEVEL, type Actor } from '../../../core/index.ts';
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { Line } from '../../../net/line-reader.ts';
import { isMessageId, parsePostedHeaders } from '../parser.ts';
import { newsDate } from '../render.ts';
import type { Session } from '../session.ts';
import type { CommandResult, CommandTable } from './types.ts';

const CRLF = Buffer.from('\r\n');

/** The article being received after 340: lines with dot-stuffing undone, within the limits. */
export class Draft {
  private lines: Buffer[] = [];
  private size = 0;
  isTooBig = false;
  hasLongLine = false;

  constructor(readonly actor: Actor, private readonly maxSize: number) {}

  add(line: Line): void {
    if (line.isTooLong) this.hasLongLine = true;
    if (this.isTooBig || this.hasLongLine) return;
    const bytes = line.bytes[0] === 0x2e ? line.bytes.subarray(1) : line.bytes; // RFC 3977 §3.1.1
    this.size += bytes.length + 2;
    if (this.size > this.maxSize) {
      this.isTooBig = true;
      this.lines = [];
      return;
    }
    this.lines.push(bytes, CRLF);
  }

  bytes(): Buffer {
    return Buffer.concat(this.lines);
  }
}

const fail = (text: string) => new NntpError(CODE.POSTING_FAILED, text);

/** Check the article, add the fields a news server adds, deliver it once to every named room. */
export async function finishPost(s: Session, draft: Draft): Promise<CommandResult> {
  if (draft.hasLongLine) throw fail(`Article has a line longer than ${s.config.maxLineLength} octets; nothing stored`);
  if (draft.isTooBig) throw fail(`Article too big (limit ${s.config.maxMessageSize} octets); nothing stored`);
  const article = draft.bytes();
  const headers = parsePostedHeaders(article);
  if (!headers) throw fail('Article has no header section; nothing stored');
  for (const [key, label] of [['from', 'From'], ['subject', 'Subject'], ['newsgroups', 'Newsgroups']] as const) {
    if (!headers.get(key)) throw fail(`Missing required header ${label}; nothing stored`);
  }
  const names = [...new Set(headers.get('newsgroups')!.toLowerCase().split(/[\s,]+/).filter(Boolean))];
  const groups = s.groups();
  const roomnums: number[] = [];
  for (const name of names) {
    const g = groups.find((x) => x.name === name);
    if (!g) throw fail(`No such newsgroup ${name}; nothing stored`);
    if (!g.access.canPost) throw fail(`Posting to ${name} is not allowed; nothing stored`);
    roomnums.push(g.room.roomnum);
  }
  let messageId = headers.get('message-id');
  if (messageId !== undefined) {
    if (!isMessageId(messageId)) throw fail('Malformed Message-ID; nothing stored');
    if (s.core.messages.findByMessageId(draft.actor, messageId)) throw fail(`Duplicate article ${messageId}; nothing stored`);
  }
  const added: string[] = [];
  if (!headers.get('path')) added.push(`Path: ${s.config.domain}!not-for-mail`);
  if (!messageId) {
    messageId = `<${Date.now().toString(36)}.${randomBytes(6).toString('hex')}@${s.config.domain}>`;
    added.push(`Message-ID: ${messageId}`);
  }
  if (!headers.get('date')) added.push(`Date: ${newsDate(Date.now())}`);
  const raw = Buffer.concat([Buffer.from(added.map((l) => `${l}\r\n`).join(''), 'utf8'), article]);
  try {
    const message = await s.core.messages.deliver(draft.actor, { raw, roomnums });
    s.log.info({ msgnum: message.msgnum, rooms: roomnums }, 'article posted');
    return { code: CODE.POSTED, text: `Article received ${message.messageId}` };
  } catch (err) {
    if (isCoreError(err) && err.kind !== 'unavailable') throw fail(`${err.message.replace(/[\r\n]+/g, ' ')}; nothing stored`);
    throw err;
  }
}

export const postCommands: CommandTable = {
  POST: {
    needs: 'nothing',
    summary: 'post an article (after AUTHINFO)',
    run: (s) => {
      if (s.login.state !== 'authenticated') throw new NntpError(CODE.AUTH_REQUIRED, 'Authentication required to post');
      const actor = s.login.actor;
      if (actor.kind === 'user' && actor.level < LEVEL.new) throw new NntpError(CODE.POSTING_NOT_PERMITTED, 'Posting not permitted');
      return { code: CODE.SEND_ARTICLE, text: 'Input article; end with <CR-LF>.<CR-LF>', after: { kind: 'post', draft: new Draft(actor, s.config.maxMessageSize) } };
    },
  },
};
