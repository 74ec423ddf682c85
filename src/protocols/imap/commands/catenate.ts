// CATENATE (RFC 4469): an APPEND message put together from text literals and IMAP URLs (RFC 5092)
// naming messages or parts the user can read here: "/mailbox[;UIDVALIDITY=n]/;UID=n
// [/;SECTION=s][/;PARTIAL=o[.l]]", or the same after "imap://authority". A URL that does not
// resolve answers NO [BADURL url]; the result over the message size limit, NO [TOOBIG].
import { isCoreError } from '../../../core/index.ts';
import { ImapError } from '../errors.ts';
import type { Value } from '../parser.ts';
import { resolveFolder } from '../folders.ts';
import { parseSection, type Section } from './fetch-items.ts';
import { sectionBytes } from './sections.ts';
import type { Authed } from './types.ts';

export type CatPart = { kind: 'text'; bytes: Buffer; isLiteral8: boolean } | { kind: 'url'; url: string };

/** The parenthesised list after CATENATE: TEXT literal / URL astring, at least one. */
export function parseCatParts(list: Value[]): CatPart[] {
  if (list.length === 0 || list.length % 2 !== 0) throw new ImapError('BAD', 'CATENATE needs TEXT and URL parts');
  const out: CatPart[] = [];
  for (let i = 0; i < list.length; i += 2) {
    const kind = list[i];
    const value = list[i + 1]!;
    const word = kind?.t === 'atom' ? kind.v.toUpperCase() : '';
    if (word === 'TEXT' && value.t === 'string' && value.isLiteral) out.push({ kind: 'text', bytes: value.bytes, isLiteral8: value.isLiteral8 === true });
    else if (word === 'URL' && value.t !== 'list') out.push({ kind: 'url', url: value.v });
    else throw new ImapError('BAD', 'CATENATE parts are TEXT literal or URL string');
  }
  return out;
}

/** An IMAP URL naming a message or part on this server, as RFC 5092 spells it. */
export interface MessageUrl {
  /** the imap://[user@]host of an absolute URL */
  authority?: { user?: string; host: string };
  mailbox: string;
  uidValidity?: number;
  uid: number;
  section?: Section;
  partial?: { start: number; length: number };
}

const URL_RE = /^(?:imap:\/\/(?:([^@/;]+)(?:;AUTH=[^@/]*)?@)?([^/:@]+)(?::\d+)?)?\/([^;?]+?)(?:;UIDVALIDITY=([1-9]\d{0,9}))?\/;UID=([1-9]\d{0,9})(?:\/;SECTION=([^/]+))?(?:\/;PARTIAL=(\d{1,10})(?:\.([1-9]\d{0,9}))?)?$/i;

/** A URL → what it names; undefined when it is not a message URL Keep can resolve. */
export function parseMessageUrl(url: string): MessageUrl | undefined {
  const m = URL_RE.exec(url);
  if (!m) return undefined;
  const [, user, host, box, validity, uid, sec, start, length] = m;
  let mailbox: string;
  let section: Section | undefined;
  try {
    mailbox = decodeURIComponent(box!);
    if (sec !== undefined) section = parseSection(decodeURIComponent(sec).toUpperCase());
  } catch {
    return undefined; // a bad %-escape or section is a URL that names nothing
  }
  return {
    ...(host !== undefined ? { authority: { host: host.toLowerCase(), ...(user !== undefined ? { user: decodeURIComponent(user) } : {}) } } : {}),
    mailbox, uid: Number(uid),
    ...(validity !== undefined ? { uidValidity: Number(validity) } : {}),
    ...(section ? { section } : {}),
    ...(start !== undefined ? { partial: { start: Number(start), length: length === undefined ? Number.MAX_SAFE_INTEGER : Number(length) } } : {}),
  };
}

/** A URL names this server and this user (another user's URL would need URLAUTH, not offered). */
function isOurs(s: Authed, u: MessageUrl): boolean {
  if (!u.authority) return true;
  const host = u.authority.host;
  const hosts = [s.config.domain, ...s.config.localDomains].map((h) => h.toLowerCase());
  // a client that connected by address or as localhost names the server so
  const isLiteral = host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
  if (!isLiteral && !hosts.some((h) => host === h || host.endsWith(`.${h}`))) return false;
  return u.authority.user === undefined || u.authority.user.toLowerCase() === s.actor.name.toLowerCase();
}

/** The bytes a URL names, read as the user (core checks the room access); undefined when it names nothing. */
function urlBytes(s: Authed, url: string): Buffer | undefined {
  const u = parseMessageUrl(url);
  if (!u || !isOurs(s, u)) return undefined;
  try {
    const folder = resolveFolder(s.core, s.actor, u.mailbox);
    const roomnum = folder.room.roomnum;
    if (u.uidValidity !== undefined && u.uidValidity !== folder.room.generation) return undefined;
    const placed = s.core.messages.placements(s.actor, roomnum).find((p) => p.uid === u.uid);
    if (!placed) return undefined;
    const raw = s.core.messages.raw(s.actor, placed.msgnum, roomnum);
    let data = u.section ? sectionBytes(raw, s.core.messages.get(s.actor, placed.msgnum, roomnum).bodyStructure, u.section) : raw;
    if (u.partial) data = data.subarray(Math.min(u.partial.start, data.length), Math.min(data.length, u.partial.start + u.partial.length));
    return data;
  } catch (err) {
    if (isCoreError(err) && (err.kind === 'not-found' || err.kind === 'forbidden')) return undefined;
    throw err;
  }
}

/** The message the parts make, in order; any part that names nothing refuses the whole APPEND. */
export function catenate(s: Authed, parts: CatPart[]): { raw: Buffer; isLiteral8: boolean } {
  const out: Buffer[] = [];
  let size = 0;
  for (const p of parts) {
    const bytes = p.kind === 'text' ? p.bytes : urlBytes(s, p.url);
    // RFC 4469 §5: the code carries the URL as sent, minus what would end the response line
    if (!bytes) throw new ImapError('NO', 'The URL names no message you can read', `BADURL ${p.kind === 'url' ? p.url.replace(/[\r\n\]]/g, '') : ''}`);
    size += bytes.length;
    if (size > s.config.maxMessageSize) throw new ImapError('NO', `The message would be over ${s.config.maxMessageSize} bytes`, 'TOOBIG');
    out.push(bytes);
  }
  return { raw: Buffer.concat(out), isLiteral8: parts.some((p) => p.kind === 'text' && p.isLiteral8) };
}
