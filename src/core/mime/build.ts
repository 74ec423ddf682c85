// The message builder: the one place that makes the stored form of a message, for every way in
// (native and chat posts, SMTP from outside, submission, NNTP POST, IMAP APPEND, bounces). It
// applies the author rule, fills in what is missing (Date, Message-ID in one format, Path for
// news; RFC 5322 §3.6, RFC 5536 §3.1.5, RFC 6409 §8), and parses the result once (ingest.ts).
import { randomBytes } from 'node:crypto';
import { CoreError } from '../errors.ts';
import { parseAddresses } from './addresses.ts';
import { fieldOf, fieldSpans, fieldsOf, headerEnd, indexHeader, type FieldSpan, type HeaderIndex } from './header.ts';
import { ingest, type Ingested } from './ingest.ts';
import { formatAddress, renderTextPost, rfc5322Date } from './render.ts';
import { encodeBinaryParts } from './transfer-encoding.ts';

/** A From that is not one of the account's addresses, refused; the address is for the log. */
export class ForeignFromError extends CoreError {
  constructor(readonly address: string) {
    super('forbidden', `From: ${address} is not one of your addresses.`);
  }
}

/** The authenticated account a message is written by. */
export interface Account {
  name: string;
  /** the account's main address, used when the message names none of its own */
  address: string;
  /** is this address one of the account's (any alias, any local domain)? */
  owns(address: string): boolean;
}

/**
 * How the header From of raw bytes relates to who handed them in:
 * - `account`: the author is the account. A From of one of its addresses is rewritten to
 *   `account name <that address>` (display names are never the identity); any other From is
 *   refused (`refuse`) or kept as written beside a Sender naming the account (`stamp`).
 * - `free`: kept as written (APPEND into one's own mailboxes: drafts, archives).
 * - `external`: mail from another server, kept as written; the author is not a local account.
 * - `system`: composed by Keep itself (bounces).
 */
export type AuthorRule =
  | { kind: 'account'; account: Account; onForeignFrom: 'refuse' | 'stamp' }
  | { kind: 'free' }
  | { kind: 'external' }
  | { kind: 'system' };

export interface TextInput {
  kind: 'text';
  account: Account;
  /** a name shown instead of the account's (an aide's masquerade): kept, with a Sender */
  displayName?: string;
  text: string;
  subject: string;
  references: string[];
  to?: string[];
}

export interface RawInput {
  kind: 'raw';
  raw: Buffer;
  author: AuthorRule;
  /** the SMTP envelope sender, shown as the author when the message has no From */
  envelopeSender?: string;
  /** news: a Path is added when missing (RFC 5536 §3.1.5), naming this host */
  newsHost?: string;
  /** handed in as binary (IMAP literal8): binary parts are stored base64-encoded */
  isBinary?: boolean;
}

export interface BuildOptions {
  domain: string;
  now: number;
}

/** A built message: its stored bytes, parsed once, and who its author is. */
export interface Built {
  raw: Buffer;
  parsed: Ingested;
  /** the header as handed in, before anything was added or rewritten */
  given: HeaderIndex;
  authorName: string;
  authorAddress?: string;
  /** true when the author is the account that handed the message in */
  isByAccount: boolean;
}

/** A new Message-ID; the only format Keep generates (RFC 5322 §3.6.4). */
export function newMessageId(domain: string, now = Date.now()): string {
  return `<${now.toString(36)}.${randomBytes(6).toString('hex')}@${domain}>`;
}

export async function buildMessage(input: TextInput | RawInput, opts: BuildOptions): Promise<Built> {
  return input.kind === 'text' ? buildText(input, opts) : buildRaw(input, opts);
}

async function buildText(t: TextInput, opts: BuildOptions): Promise<Built> {
  const refs = t.references.map((r) => (r.startsWith('<') ? r : `<${r}>`));
  const self = { name: t.account.name, address: t.account.address };
  const isMasquerade = t.displayName !== undefined && t.displayName !== t.account.name;
  const inReplyTo = refs.at(-1);
  const raw = renderTextPost({
    time: opts.now, from: isMasquerade ? { name: t.displayName!, address: self.address } : self,
    ...(isMasquerade ? { sender: self } : {}), ...(t.to ? { to: t.to } : {}), subject: t.subject,
    messageId: newMessageId(opts.domain, opts.now), references: refs, ...(inReplyTo ? { inReplyTo } : {}),
  }, t.text);
  const parsed = await ingest(raw);
  return { raw, parsed, given: parsed.headers, authorName: self.name, authorAddress: self.address, isByAccount: true };
}

interface Edit {
  /** fields to drop (a From being rewritten, a Sender being replaced) */
  drop: FieldSpan[];
  /** lines added at the top of the header (trace-like: Path) */
  top: string[];
  /** lines added at the end of the header */
  end: string[];
}

async function buildRaw(given: RawInput, opts: BuildOptions): Promise<Built> {
  const r = given.isBinary ? { ...given, raw: encodeBinaryParts(given.raw, (await ingest(given.raw)).bodyStructure) } : given;
  const end = headerEnd(r.raw);
  const spans = fieldSpans(r.raw, end ?? r.raw.length);
  const hdr = indexHeader(r.raw, end ?? r.raw.length);
  const edit: Edit = { drop: [], top: [], end: [] };
  const author = applyAuthorRule(r, fieldsOf(hdr, 'from'), spans, edit);
  if (r.newsHost && !fieldOf(hdr, 'path')) edit.top.push(`Path: ${r.newsHost}!not-for-mail`);
  // APPEND into one's own mailbox stores the bytes as given (RFC 3501 §6.3.11): a draft keeps
  // its size and has no Date or Message-ID until it is sent
  const isAsWritten = r.author.kind === 'free';
  if (!isAsWritten && !fieldOf(hdr, 'date')) edit.end.push(`Date: ${rfc5322Date(opts.now)}`);
  if (!isAsWritten && !fieldOf(hdr, 'message-id')) edit.end.push(`Message-ID: ${newMessageId(opts.domain, opts.now)}`);
  const raw = applyEdit(r.raw, end, edit);
  return { raw, parsed: await ingest(raw), given: hdr, ...author };
}

function applyAuthorRule(r: RawInput, froms: string[], spans: FieldSpan[], edit: Edit): Omit<Built, 'raw' | 'parsed' | 'given'> {
  const written = froms.flatMap((f) => parseAddresses(f));
  if (r.author.kind !== 'account') {
    const first = written[0];
    const authorAddress = first?.address ?? (r.envelopeSender || undefined);
    return { authorName: first?.name || first?.address || r.envelopeSender || 'unknown', ...(authorAddress ? { authorAddress } : {}), isByAccount: false };
  }
  const { account, onForeignFrom } = r.author;
  const fromSpans = spans.filter((s) => s.name === 'from');
  const only = written.length === 1 && froms.length === 1 ? written[0]! : undefined;
  if (written.length === 0 && froms.length === 0) {
    edit.end.push(`From: ${formatAddress(account)}`);
    return { authorName: account.name, authorAddress: account.address, isByAccount: true };
  }
  if (only && account.owns(only.address)) {
    edit.drop.push(...fromSpans);
    edit.end.push(`From: ${formatAddress({ name: account.name, address: only.address })}`);
    return { authorName: account.name, authorAddress: only.address, isByAccount: true };
  }
  const shown = written.map((a) => a.address).join(', ') || froms.join(', ');
  if (onForeignFrom === 'refuse') throw new ForeignFromError(shown);
  edit.drop.push(...spans.filter((s) => s.name === 'sender'));
  edit.end.push(`Sender: ${formatAddress(account)}`);
  return { authorName: account.name, authorAddress: account.address, isByAccount: true };
}

/** The bytes with fields dropped, lines added at the top and at the end of the header section. */
function applyEdit(raw: Buffer, end: number | undefined, e: Edit): Buffer {
  if (!e.drop.length && !e.top.length && !e.end.length) return raw;
  // the header's own lines stop before its blank line; a message without one is all header
  const headerStop = end === undefined ? raw.length : end - (raw[end - 2] === 13 ? 2 : 1);
  const lines = (l: string[]) => Buffer.from(l.map((x) => `${x}\r\n`).join(''), 'utf8');
  const parts: Buffer[] = [lines(e.top)];
  let pos = 0;
  for (const d of [...e.drop].sort((a, b) => a.start - b.start)) {
    parts.push(raw.subarray(pos, d.start));
    pos = d.end;
  }
  parts.push(raw.subarray(pos, headerStop));
  if (headerStop > pos && raw[headerStop - 1] !== 10) parts.push(Buffer.from('\r\n'));
  parts.push(lines(e.end), end === undefined ? Buffer.from('\r\n') : raw.subarray(headerStop));
  return Buffer.concat(parts);
}
