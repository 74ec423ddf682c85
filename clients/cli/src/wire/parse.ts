// Typed values from Citadel replies (CITADEL-PROTOCOL-NOTES §3). Pure: text in, values out.
import { field, fields, numField } from './reply.ts';

export interface LoginInfo { name: string; axlevel: number; timesCalled: number; posted: number; usernum: number; lastCall: number }
export interface RoomState { name: string; unread: number; total: number; flags: number; highest: number; lastRead: number; isMailbox: boolean; newMail: number; floor: number; defaultView: number }
export interface RoomEntry { name: string; flags: number; floor: number; order: number; access: number; hasNew: boolean }
export interface WhoEntry { session: number; user: string; room: string; host: string; client: string; lastActive: number; flags: string }
export interface MessageView { msgnum: number; from: string; address: string; room: string; recipient: string; subject: string; time: number; text: string; messageId: string }
export interface InstantMessage { hasMore: boolean; time: number; flags: number; from: string; text: string }
export interface ChatLine { seq: number; time: number; from: string; text: string }

/** Room access bit "has new messages" in LKRA lines (UA_HASNEWMSGS, §3.17). */
export const UA_HASNEWMSGS = 8;

/** PASS / NEWU: `name|axlevel|timescalled|posted|flags|usernum|lastcall` (§3.8) */
export function parseLogin(text: string): LoginInfo {
  const f = fields(text);
  return { name: field(f, 0), axlevel: numField(f, 1), timesCalled: numField(f, 2), posted: numField(f, 3), usernum: numField(f, 5), lastCall: numField(f, 6) };
}

/** GOTO: `name|unread|total|info|flags|highest|lastread|ismailbox|isaide|newmail|floor|curview|defaultview|…` (§3.14) */
export function parseGoto(text: string): RoomState {
  const f = fields(text);
  return {
    name: field(f, 0), unread: numField(f, 1), total: numField(f, 2), flags: numField(f, 4), highest: numField(f, 5),
    lastRead: numField(f, 6), isMailbox: field(f, 7) === '1', newMail: numField(f, 9), floor: numField(f, 10), defaultView: numField(f, 12),
  };
}

/** LKRA/LKRN lines: `name|flags|floor|order|flags2|access|…` (§3.17) */
export function parseRoomLine(line: string): RoomEntry | undefined {
  const f = fields(line);
  if (!field(f, 0)) return undefined;
  const access = numField(f, 5);
  return { name: field(f, 0), flags: numField(f, 1), floor: numField(f, 2), order: numField(f, 3), access, hasNew: (access & UA_HASNEWMSGS) !== 0 };
}

/** RWHO lines: `session|user|room|host|client|lastactive|lastcmd|flags|…` (§3.26) */
export function parseWhoLine(line: string): WhoEntry | undefined {
  const f = fields(line);
  if (!field(f, 1)) return undefined;
  return { session: numField(f, 0), user: field(f, 1), room: field(f, 2), host: field(f, 3), client: field(f, 4), lastActive: numField(f, 5), flags: field(f, 7) };
}

/** MSGS listing: message numbers, one per line. */
export function parseMsgnums(lines: string[]): number[] {
  return lines.map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * MSG4 listing (§3.22): `key=value` headers (4-letter keys), the line `text`, a MIME-style
 * header block ended by an empty line, then the body. Variformat bodies are re-flowed; base64
 * and quoted-printable are decoded in case the server did not (we never send MSGP dont_decode).
 */
export function parseMessage(msgnum: number, lines: string[]): MessageView {
  const headers = new Map<string, string>();
  let i = 0;
  for (; i < lines.length && lines[i] !== 'text'; i++) {
    const l = lines[i] ?? '';
    if (l[4] === '=' && !headers.has(l.slice(0, 4))) headers.set(l.slice(0, 4), l.slice(5));
  }
  i++; // the "text" line
  const mime = new Map<string, string>();
  for (; i < lines.length && lines[i] !== ''; i++) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(lines[i] ?? '');
    if (m) mime.set(m[1]!.toLowerCase(), m[2]!);
  }
  const body = lines.slice(i + 1);
  const type = (mime.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  const decoded = decodeBody(body, (mime.get('content-transfer-encoding') ?? '').trim().toLowerCase());
  const text = type === 'text/x-citadel-variformat' ? reflow(decoded) : decoded.join('\n').replace(/\n+$/, '');
  return {
    msgnum,
    messageId: headers.get('msgn') ?? '',
    from: headers.get('from') ?? '', address: headers.get('rfca') ?? '', room: headers.get('room') ?? '',
    recipient: headers.get('rcpt') ?? '', subject: headers.get('subj') ?? '', time: Number(headers.get('time') ?? 0) || 0,
    text,
  };
}

function decodeBody(lines: string[], encoding: string): string[] {
  if (encoding === 'base64') return Buffer.from(lines.join(''), 'base64').toString('utf8').replace(/\r/g, '').split('\n');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(lines.join('\n')).split('\n');
  return lines.map((l) => l.replace(/\r$/, ''));
}

export function decodeQuotedPrintable(s: string): string {
  const bytes = Buffer.from(s.replace(/=\r?\n/g, ''), 'latin1');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const hex = b === 0x3d ? bytes.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) { out.push(parseInt(hex, 16)); i += 2; } else out.push(b);
  }
  return Buffer.from(out).toString('utf8');
}

/**
 * Citadel variformat (§1): a line starting with a space starts a new paragraph; any other
 * newline is a space. Paragraphs come back one per line; wrapping is the renderer's job.
 */
export function reflow(lines: string[]): string {
  const paras: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (paras.length === 0 || raw.startsWith(' ') || raw === '') paras.push(line.trim());
    else paras[paras.length - 1] = `${paras[paras.length - 1]} ${line}`.trim();
  }
  while (paras.length && paras[paras.length - 1] === '') paras.pop();
  return paras.join('\n');
}

/** GEXP: `more|epoch|flags|sender|node|senderemail` plus the text lines (§3.25). */
export function parseInstantMessage(text: string, lines: string[]): InstantMessage {
  const f = fields(text);
  return { hasMore: field(f, 0) === '1', time: numField(f, 1), flags: numField(f, 2), from: field(f, 3), text: reflow(lines) };
}

/** RCHT poll: `seq|epoch|sender` plus one line (§3.27). */
export function parseChatLine(text: string, lines: string[]): ChatLine {
  const f = fields(text);
  return { seq: numField(f, 0), time: numField(f, 1), from: field(f, 2), text: lines.join(' ') };
}
