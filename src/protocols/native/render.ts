// Core values → native wire text (protocol/README.md). Pure: no I/O.
import { writtenAt, type Message, type RoomListing, type Room, type SessionInfo } from '../../core/index.ts';

/**
 * A body line that is exactly "000" would end a listing early (the real server does not
 * guard against this); it goes out with a leading space, which the client shows as a blank
 * start of paragraph at worst.
 */
export const safeLine = (line: string): string => (line === '000' ? ' 000' : line);

/** Split text into listing lines: CRLF or LF, no trailing empty line, '000' altered. */
export function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').replace(/\r/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map(safeLine);
}

/** A header or field value on one line, with no separators that would split it. */
export const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');
export const fieldValue = (s: string): string => oneLine(s).replace(/\|/g, '!');

/** Room flags (Citadel QR_*): 1 permanent, 2 in use, 4 private, 8 passworded, 16 guess-name, 8192 read-only, 16384 mailbox. */
export function roomFlags(room: Room): number {
  let f = 2;
  if (room.isPermanent) f |= 1;
  if (room.kind === 'private-invite') f |= 4;
  if (room.kind === 'private-password') f |= 4 | 8;
  if (room.kind === 'hidden') f |= 4 | 16;
  if (room.isReadOnly) f |= 8192;
  if (room.kind === 'mailbox' || room.kind === 'direct') f |= 16384;
  return f;
}

/** Access bits (Citadel UA_*) for LKRA and friends. */
export function accessBits(l: Pick<RoomListing, 'access' | 'hasNew'>): number {
  let a = 0;
  if (l.access.isKnown) a |= 2;
  if (l.access.canRead) a |= 4;
  if (l.hasNew) a |= 8;
  if (l.access.isZapped) a |= 16;
  if (l.access.canPost) a |= 32 | 256;
  if (l.access.canAdmin) a |= 64;
  if (l.access.canDelete) a |= 128;
  return a;
}

const sec = (ms: number) => Math.floor(ms / 1000);

/** One LKRA/LKRN/... line: name|flags|floor|order|flags2|access|curview|defaultview|mtime| */
export function roomListLine(l: RoomListing): string {
  const r = l.room;
  return `${fieldValue(r.name)}|${roomFlags(r)}|${r.floor}|${r.order}|0|${accessBits(l)}|${r.defaultView}|${r.defaultView}|${sec(r.mtime)}|`;
}

export interface GotoInfo {
  room: Room;
  unread: number;
  total: number;
  hasInfo: boolean;
  lastSeen: number;
  isAide: boolean;
  newMail: number;
}

/** GOTO's 16 fields: name|unread|total|info|flags|highest|lastread|ismailbox|isaide|newmail|floor|curview|defaultview|istrash|flags2|mtime| */
export function gotoFields(g: GotoInfo): string {
  const r = g.room;
  const isMailbox = r.kind === 'mailbox' || r.kind === 'direct';
  return [
    fieldValue(r.name), g.unread, g.total, g.hasInfo ? 1 : 0, roomFlags(r), r.highest, g.lastSeen,
    isMailbox ? 1 : 0, g.isAide ? 1 : 0, g.newMail, r.floor, r.defaultView, r.defaultView,
    r.role === 'trash' ? 1 : 0, 0, sec(r.mtime),
  ].join('|') + '|';
}

export interface MessageView {
  message: Message;
  /** the body as text (text posts: as posted; rfc822: the decoded best text part) */
  text: string;
  nodeName: string;
  humanNode: string;
}

const bare = (id: string) => id.replace(/^<|>$/g, '');

/** MSG0/MSG4 header lines (4-letter key '=' value) in the real server's order. */
export function messageHeaders(v: MessageView): string[] {
  const m = v.message;
  const out = [`msgn=${oneLine(bare(m.messageId))}`, `time=${sec(writtenAt(m))}`, `from=${oneLine(m.authorName)}`];
  // rfca hides node and room in the client, so only mail from outside carries it
  if (m.authorUser === undefined && m.authorAddress) out.push(`rfca=${oneLine(m.authorAddress)}`);
  if (m.originRoom) out.push(`room=${oneLine(m.originRoom)}`);
  out.push(`node=${v.nodeName}`, `hnod=${oneLine(v.humanNode)}`);
  if (m.recipients.length) out.push(`rcpt=${oneLine(m.recipients.join(', '))}`);
  if (m.references.length) out.push(`wefw=${oneLine(m.references.map(bare).join('|'))}`);
  if (m.subject) out.push(`subj=${oneLine(m.subject)}`);
  return out.map(safeLine);
}

const isVariformat = (m: Message) => m.format === 'text' && m.textFormat === 0;

/** MSG4 mode 0: headers, 'text', the MIME header block, one empty line, the body. */
export function msg4Lines(v: MessageView, mode: 'all' | 'headers' | 'body'): string[] {
  const type = isVariformat(v.message) ? 'text/x-citadel-variformat' : 'text/plain';
  const head = mode === 'body' ? [] : messageHeaders(v);
  if (mode === 'headers') return head;
  return [...head, 'text', `Content-type: ${type}; charset=utf-8`, `Content-length: ${Buffer.byteLength(v.text)}`, '', ...textLines(v.text)];
}

/** MSG0: 'type=' first (0 variformat, 1 plain), headers, 'text', the body as stored. */
export function msg0Lines(v: MessageView, headersOnly: boolean): string[] {
  const head = [`type=${isVariformat(v.message) ? 0 : 1}`, ...messageHeaders(v)];
  return headersOnly ? head : [...head, 'text', ...textLines(v.text)];
}

/** RWHO line: session|user|room|host|client|lastactive|lastcmd|flags|realuser|realroom|realhost|loggedin */
export function rwhoLine(s: SessionInfo, chatRoomName?: string): string {
  const room = chatRoomName !== undefined ? `${chatRoomName}<chat>` : (s.room ?? '');
  return [s.sid, s.name ?? '', room, s.host, s.client, s.lastActive, s.lastCmd, s.isPosting ? '*' : s.isStealth ? '-' : '.', '', '', '', 1]
    .map((x) => fieldValue(String(x))).join('|');
}
