// Core values → NNTP wire text (RFC 3977 §3.1.1 multi-line blocks, §8 overview, RFC 5536 headers).
// Pure: metadata comes from core (stored at ingest); no MIME is parsed here.
import { fieldOf, type Message } from '../../core/index.ts';
import type { Code } from './codes.ts';

/**
 * A reply: status line plus, for multi-line replies, a data block: article bytes, or lines,
 * which may be produced lazily as the block is written (a long OVER renders in slices). A lazy
 * scan that finds nothing for a while yields null: no line, but a place to take a turn.
 */
export interface Reply {
  code: Code;
  text: string;
  data?: Iterable<string | null> | Buffer;
}

const CRLF = Buffer.from('\r\n');
export const TERMINATOR = Buffer.from('.\r\n');

export function encodeStatus(r: Reply): Buffer {
  return Buffer.from(`${r.code} ${r.text}\r\n`, 'utf8');
}

/** Status line, then the data block dot-stuffed and terminated (RFC 3977 §3.1.1), in one buffer. */
export function encodeReply(r: Reply): Buffer {
  if (r.data === undefined) return encodeStatus(r);
  return Buffer.concat([encodeStatus(r), ...encodeData(r.data, Infinity), TERMINATOR]);
}

/**
 * The data block dot-stuffed, in pieces of about `sliceBytes` (whole lines each), without the
 * terminator; lazy lines are rendered only as pieces are taken, and a piece ends early once
 * `isDue()` says the writer's time slice is used up.
 */
export function* encodeData(data: Iterable<string | null> | Buffer, sliceBytes: number, isDue: () => boolean = () => false): Generator<Buffer> {
  if (Buffer.isBuffer(data)) {
    for (let at = 0; at < data.length;) {
      // a piece ends after a line feed, so each one starts at the beginning of a line
      const nl = at + sliceBytes >= data.length ? -1 : data.indexOf(10, at + sliceBytes);
      const end = nl < 0 ? data.length : nl + 1;
      yield stuffBytes(data.subarray(at, end));
      at = end;
    }
    return;
  }
  let out = '';
  for (const l of data) {
    if (l !== null) out += `${l.startsWith('.') ? '.' : ''}${l}\r\n`;
    if (out.length >= sliceBytes || isDue()) {
      yield Buffer.from(out, 'utf8');
      out = '';
    }
  }
  if (out) yield Buffer.from(out, 'utf8');
}

/** Article bytes → CRLF lines with a leading dot doubled; bare LF line ends become CRLF. */
export function stuffBytes(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(10, start);
    const isLast = nl < 0;
    if (isLast) nl = buf.length;
    const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    if (buf[start] === 0x2e) parts.push(Buffer.from('.'));
    parts.push(buf.subarray(start, end), CRLF);
    start = nl + 1;
  }
  return Buffer.concat(parts);
}

/** yyyymmddhhmmss in UTC (DATE, RFC 3977 §7.1). */
export function compactDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

/** Overview and HDR values are one line: CR, LF and TAB become spaces (RFC 3977 §8.3). */
export const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ');

/**
 * Where an article sits for the reader asking: the groups (of those this reader sees) that hold
 * it, and this host. Message numbers are global, so the article number is the same in each.
 */
export interface ArticleContext {
  groups: string[];
  number: number;
  host: string;
}

const xrefOf = (c: ArticleContext) => (c.groups.length ? `${c.host} ${c.groups.map((g) => `${g}:${c.number}`).join(' ')}` : undefined);

/** Does the stored message itself carry this header field? From the header index, never the bytes. */
export function hasField(m: Message, name: string): boolean {
  return fieldOf(m.headers, name) !== undefined;
}

/**
 * A header field's value for OVER and HDR: the stored header index, the one core's builder
 * made for every message. Fields a news server adds (Path, Newsgroups, Xref, Lines, Bytes) come
 * from the article's context when the message has none.
 */
export function fieldValue(m: Message, name: string, c: ArticleContext): string | undefined {
  const n = name.toLowerCase();
  if (n === ':bytes') return String(m.size);
  if (n === ':lines') return String(m.lines);
  const stored = fieldOf(m.headers, n);
  if (stored !== undefined) return stored;
  switch (n) {
    case 'newsgroups': return c.groups.length ? c.groups.join(',') : undefined;
    case 'path': return `${c.host}!not-for-mail`;
    case 'xref': return xrefOf(c);
    case 'lines': return String(m.lines);
    case 'bytes': return String(m.size);
    default: return undefined;
  }
}

/**
 * LIST OVERVIEW.FMT (RFC 3977 §8.4): the order of fields after the article number. Bytes: and
 * Lines: are the §8.4.2 legacy spellings of :bytes and :lines; readers that check the format
 * against RFC 2980 (slrn) turn XOVER off when they see the metadata spelling.
 */
export const OVERVIEW_FORMAT = ['Subject:', 'From:', 'Date:', 'Message-ID:', 'References:', 'Bytes:', 'Lines:', 'Xref:full'] as const;

/** One OVER line: number, then the fields of OVERVIEW_FORMAT in its order, tab-separated (RFC 3977 §8.3). */
export function overviewLine(m: Message, c: ArticleContext & { shownNumber?: number }): string {
  const fields = OVERVIEW_FORMAT.map((f) => {
    if (f === 'Bytes:') return String(m.size);
    if (f === 'Lines:') return String(m.lines);
    if (f === 'Xref:full') {
      const xref = xrefOf(c);
      return xref ? `Xref: ${xref}` : ''; // a :full field carries its name (§8.4.2)
    }
    return oneLine(fieldValue(m, f.slice(0, -1), c) ?? '');
  });
  return [c.shownNumber ?? c.number, ...fields].join('\t');
}

/** Fields a reader expects in every article (RFC 5536 §3.1) that a stored message may lack. */
const NEWS_FIELDS: [string, string][] = [
  ['path', 'Path'], ['newsgroups', 'Newsgroups'], ['message-id', 'Message-ID'], ['date', 'Date'], ['from', 'From'], ['subject', 'Subject'], ['lines', 'Lines'],
  ['bytes', 'Bytes'], // the stored message's size, as :bytes in OVER (RFC 3977 §8.4.2 allows approximation)
];

/**
 * The head of an article: the missing news fields, Xref, then the stored header section as it
 * is (CRLF lines, no blank line at the end).
 */
export function articleHead(m: Message, raw: Buffer, c: ArticleContext): Buffer {
  const added: string[] = [];
  for (const [key, label] of NEWS_FIELDS) {
    if (hasField(m, key)) continue;
    const v = fieldValue(m, key, c);
    if (v !== undefined) added.push(`${label}: ${oneLine(v)}`);
  }
  const xref = xrefOf(c);
  if (xref && !hasField(m, 'xref')) added.push(`Xref: ${xref}`);
  let end = Math.min(m.bodyOffset, raw.length);
  while (end > 0 && (raw[end - 1] === 10 || raw[end - 1] === 13)) end--;
  const stored = raw.subarray(0, end);
  return Buffer.concat([Buffer.from(added.map((l) => `${l}\r\n`).join(''), 'utf8'), stored, stored.length ? CRLF : Buffer.alloc(0)]);
}

/** The body of an article: the bytes after the header section's blank line. */
export function articleBody(m: Message, raw: Buffer): Buffer {
  return raw.subarray(Math.min(m.bodyOffset, raw.length));
}

/** The whole article: head, blank line, body. */
export function article(m: Message, raw: Buffer, c: ArticleContext): Buffer {
  return Buffer.concat([articleHead(m, raw, c), CRLF, articleBody(m, raw)]);
}
