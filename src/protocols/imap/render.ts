// Core values → IMAP wire text (RFC 3501 §7, §9). Pure. Wire text is a "byte string": one
// JS char per byte (latin1), so literals of any bytes can be embedded and written as-is.
import { encodeText, type Address, type BodyPart, type EnvelopeAddress, type EnvelopeField, type EnvelopeRecord } from '../../core/index.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** UTF-8 text as a byte string. */
export const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** A string: quoted when it is short safe ASCII, otherwise a literal of its bytes. */
export function str(s: string, isByteString = false): string {
  if (s.length < 200) {
    let needsEscape = false;
    let isSafe = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) { isSafe = false; break; }
      if (c === 0x22 || c === 0x5c) needsEscape = true;
    }
    if (isSafe) return needsEscape ? `"${s.replace(/(["\\])/g, '\\$1')}"` : `"${s}"`;
  }
  const b = isByteString ? s : bytes(s);
  return `{${b.length}}\r\n${b}`;
}

export const nstr = (s: string | undefined | null, isByteString = false): string => (s === undefined || s === null ? 'NIL' : str(s, isByteString));

/** An atom when safe, else a string (mailbox names in LIST, keywords). */
export function astr(s: string): string {
  return /^[\x21-\x7e]+$/.test(s) && !/[(){%*"\\\]]/.test(s) ? s : str(s);
}

/** INTERNALDATE: "dd-Mon-yyyy hh:mm:ss +0000" (UTC). */
export function imapDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `"${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000"`;
}

function address(a: Address): string {
  const at = a.address.lastIndexOf('@');
  const mailbox = at < 0 ? a.address : a.address.slice(0, at);
  const host = at < 0 ? undefined : a.address.slice(at + 1);
  return `(${a.name ? str(encodeText(a.name)) : 'NIL'} NIL ${str(mailbox)} ${nstr(host)})`;
}

const addresses = (list: Address[] | undefined): string => (list && list.length ? `(${list.map(address).join('')})` : 'NIL');

/** Group markers and source routes, kept at ingest where a header used them (header index text). */
function exactAddress(a: EnvelopeAddress): string {
  return `(${nstr(a.name)} ${nstr(a.route)} ${nstr(a.mailbox)} ${nstr(a.host)})`;
}

function field(e: EnvelopeRecord, f: EnvelopeField): string {
  const exact = e.exact?.[f];
  if (exact) return exact.length ? `(${exact.map(exactAddress).join('')})` : 'NIL';
  return addresses(e[f]);
}

/**
 * ENVELOPE (RFC 3501 §7.4.2). Texts are the header index's values, as in the header itself;
 * names were decoded at ingest and go out encoded by core's one name renderer, as the stored
 * From header of a message core built has them.
 */
export function envelope(e: EnvelopeRecord): string {
  const text = (s: string | undefined) => (s === undefined ? 'NIL' : str(s));
  return `(${text(e.date)} ${text(e.subject)} ${field(e, 'from')} ${field(e, 'sender')} ${field(e, 'replyTo')} ${field(e, 'to')} ${field(e, 'cc')} ${field(e, 'bcc')} ${text(e.inReplyTo)} ${text(e.messageId)})`;
}

const EMPTY_ENVELOPE: EnvelopeRecord = { from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] };

function params(p: Record<string, string> | undefined): string {
  const entries = Object.entries(p ?? {});
  return entries.length ? `(${entries.map(([k, v]) => `${str(k.toUpperCase())} ${str(v)}`).join(' ')})` : 'NIL';
}

const disposition = (part: BodyPart) => (part.disposition ? `(${str(part.disposition.type.toUpperCase())} ${params(part.disposition.params)})` : 'NIL');

/** BODYSTRUCTURE (extensible) or BODY (basic) from the structure computed at ingest. */
export function bodyStructure(part: BodyPart, isExtensible: boolean): string {
  if (part.type === 'multipart' && part.parts?.length) {
    const children = part.parts.map((c) => bodyStructure(c, isExtensible)).join('');
    const ext = isExtensible ? ` ${params(part.params)} ${disposition(part)} ${nstr(part.language)} NIL` : '';
    return `(${children} ${str(part.subtype.toUpperCase())}${ext})`;
  }
  const size = Math.max(0, part.end - part.bodyStart);
  const type = part.type === 'multipart' ? 'text' : part.type;
  const subtype = part.type === 'multipart' ? 'plain' : part.subtype;
  let s = `${str(type.toUpperCase())} ${str(subtype.toUpperCase())} ${params(part.params)} ${nstr(part.id)} ${nstr(part.description)} ${str(part.encoding.toUpperCase())} ${size}`;
  if (type === 'message' && subtype === 'rfc822') {
    const inner = part.parts?.[0];
    const innerBody = inner ? bodyStructure(inner, isExtensible) : '("TEXT" "PLAIN" NIL NIL NIL "7BIT" 0 0)';
    s += ` ${envelope(part.envelope ?? EMPTY_ENVELOPE)} ${innerBody} ${part.lines}`;
  } else if (type === 'text') s += ` ${part.lines}`;
  if (isExtensible) s += ` NIL ${disposition(part)} ${nstr(part.language)} NIL`;
  return `(${s})`;
}

const SYSTEM_FLAG: Record<string, string> = { recent: '\\Recent', seen: '\\Seen', answered: '\\Answered', flagged: '\\Flagged', deleted: '\\Deleted', draft: '\\Draft' };

/** FLAGS list from core's flag names and keywords. */
export function flagList(f: { system: string[]; keywords: string[] }): string {
  return `(${[...f.system.map((n) => SYSTEM_FLAG[n] ?? n), ...f.keywords].join(' ')})`;
}

/** Ascending numbers → compact sequence set ("1:3,7"). */
export function seqSetString(nums: number[]): string {
  const sorted = [...nums].sort((a, b) => a - b);
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j += 1;
    out.push(sorted[i] === sorted[j] ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** Numbers in a given order → a sequence set that keeps it: only ascending runs become ranges (RFC 5267 §3.2). */
export function orderedSetString(nums: number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < nums.length) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j += 1;
    out.push(i === j ? `${nums[i]}` : `${nums[i]}:${nums[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** An * ESEARCH reply (RFC 4731 §3.1): the command's tag as correlator, UID when it names UIDs, then the data. */
export function esearchLine(tag: string, isUid: boolean, data: string): string {
  return `* ESEARCH (TAG ${str(tag)})${isUid ? ' UID' : ''}${data}\r\n`;
}

/**
 * A mailbox name on the wire: modified UTF-7 as an astring, or after ENABLE UTF8=ACCEPT the
 * UTF-8 itself, quoted (RFC 6855 §3: no modified UTF-7 is sent then).
 */
export function mailboxName(name: string, isUtf8: boolean): string {
  if (!isUtf8) return astr(encodeMailboxName(name));
  if (/^[\x20-\x7e]*$/.test(name)) return astr(name);
  if (/[\r\n\0]/.test(name)) return str(name);
  return `"${bytes(name).replace(/(["\\])/g, '\\$1')}"`;
}

/** Unicode mailbox name → modified UTF-7 (RFC 3501 §5.1.3). */
export function encodeMailboxName(name: string): string {
  let out = '';
  let run = '';
  const flush = () => {
    if (!run) return;
    const buf = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) buf.writeUInt16BE(run.charCodeAt(i), i * 2);
    out += `&${buf.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
    run = '';
  };
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c <= 0x7e) {
      flush();
      out += ch === '&' ? '&-' : ch;
    } else run += ch;
  }
  flush();
  return out;
}

/** The reply line of a tagged completion. */
export function tagged(tag: string, r: { status: string; code?: string; text: string }): string {
  return `${tag} ${r.status} ${r.code ? `[${r.code}] ` : ''}${r.text.replace(/[\r\n]+/g, ' ')}\r\n`;
}
