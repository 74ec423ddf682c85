// POST (RFC 3977 §6.3.1, RFC 5537 §3.5): the Newsgroups header names rooms; one message with a
// placement in each (cross-posting); References are kept as sent (follow-ups). 240 is sent only
// after core's delivery has committed durably; a From that is not the poster's is 441.
import { isCoreError, LEVEL, type Actor, type HeaderIndex } from '../../../core/index.ts';
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { Line } from '../../../net/line-reader.ts';
import { isMessageId } from '../parser.ts';
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

/**
 * Deliver the article once to every room its Newsgroups names. Core builds it (the author is the
 * poster; a From that is not theirs is refused; Path, Date and Message-ID added when missing) and
 * hands back the header as the poster wrote it, which is checked here against RFC 5537 §3.5.
 */
export async function finishPost(s: Session, draft: Draft): Promise<CommandResult> {
  if (draft.hasLongLine) throw fail(`Article has a line longer than ${s.config.maxLineLength} octets; nothing stored`);
  if (draft.isTooBig) throw fail(`Article too big (limit ${s.config.maxMessageSize} octets); nothing stored`);
  try {
    const message = await s.core.messages.postRaw(draft.actor, { raw: draft.bytes(), roomnums: [], newsHost: s.config.domain, roomsFor: (h) => roomsOf(s, draft.actor, h) });
    s.log.info({ msgnum: message.msgnum }, 'article posted');
    return { code: CODE.POSTED, text: `Article received ${message.messageId}` };
  } catch (err) {
    if (isCoreError(err) && err.kind !== 'unavailable') throw fail(`${err.message.replace(/[\r\n]+/g, ' ')}; nothing stored`);
    throw err;
  }
}

/** The rooms an article's header names, after the checks a news server makes on it. */
function roomsOf(s: Session, actor: Actor, header: HeaderIndex): number[] {
  const get = (name: string) => header.find(([n]) => n === name)?.[1];
  if (header.length === 0) throw fail('Article has no header section; nothing stored');
  for (const [key, label] of [['from', 'From'], ['subject', 'Subject'], ['newsgroups', 'Newsgroups']] as const) {
    if (!get(key)) throw fail(`Missing required header ${label}; nothing stored`);
  }
  const messageId = get('message-id');
  if (messageId !== undefined) {
    if (!isMessageId(messageId)) throw fail('Malformed Message-ID; nothing stored');
    if (s.core.messages.findByMessageId(actor, messageId)) throw fail(`Duplicate article ${messageId}; nothing stored`);
  }
  const names = [...new Set(get('newsgroups')!.toLowerCase().split(/[\s,]+/).filter(Boolean))];
  const groups = s.groups();
  return names.map((name) => {
    const g = groups.find((x) => x.name === name);
    if (!g) throw fail(`No such newsgroup ${name}; nothing stored`);
    if (!g.access.canPost) throw fail(`Posting to ${name} is not allowed; nothing stored`);
    return g.room.roomnum;
  });
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
