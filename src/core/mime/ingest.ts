// Ingest-time MIME parsing: envelope, body structure with byte offsets, header index, text.
// Done once per message with libraries (postal-mime for the envelope and text, mailsplit
// for the part tree), so no translator ever parses MIME (STYLE.md §5).
import PostalMime from 'postal-mime';
import { Splitter } from 'mailsplit';
import libmime from 'libmime';
import { parseSimple } from './simple.ts';
import type { Address, BodyPart, EnvelopeField, EnvelopeRecord } from '../../store/index.ts';
import { envelopeAddresses, hasGroupOrRoute } from './address-list.ts';

export interface Ingested {
  envelope: EnvelopeRecord;
  bodyStructure: BodyPart;
  headers: [string, string][];
  lines: number;
  bodyOffset: number;
  /** the best plain-text rendering of the message (text part, or HTML converted) */
  text: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from: Address[];
  date?: number;
}

type PostalAddress = { name?: string; address?: string; group?: PostalAddress[] };

function flatten(list: PostalAddress[] | PostalAddress | undefined): Address[] {
  if (!list) return [];
  const arr = Array.isArray(list) ? list : [list];
  const out: Address[] = [];
  for (const a of arr) {
    if (a.group) out.push(...flatten(a.group));
    else if (a.address) out.push(a.name ? { name: a.name, address: a.address } : { address: a.address });
  }
  return out;
}

const ids = (v: string | undefined): string[] => (v ? v.match(/<[^<>\s]+>/g) ?? [] : []);

function countLines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === 10) n++;
  if (to > from && buf[to - 1] !== 10) n++;
  return n;
}

const isPadding = (c: number | undefined) => c === 0x20 || c === 0x09;
const isLineEnd = (c: number | undefined) => c === 0x0d || c === 0x0a;

/**
 * mailsplit's splitter, also taking a boundary line with transport padding (spaces or tabs
 * before the line end, RFC 2046 §5.1.1), which mailsplit would read as body text.
 */
class PaddedSplitter extends Splitter {
  override compareBoundary(line: Buffer, startpos: number, boundary: Buffer): number | false {
    let term = line.length;
    while (term > startpos && isLineEnd(line[term - 1])) term--;
    let text = term;
    while (text > startpos && isPadding(line[text - 1])) text--;
    if (text === term) return super.compareBoundary(line, startpos, boundary);
    return super.compareBoundary(Buffer.concat([line.subarray(0, text), line.subarray(term)]), startpos, boundary);
  }
}

/** The part tree with byte offsets, from mailsplit's event stream (which preserves bytes). */
function splitStructure(raw: Buffer): Promise<BodyPart> {
  return new Promise((resolve, reject) => {
    const splitter = new PaddedSplitter({ ignoreEmbedded: false });
    let offset = 0;
    const stack: { node: unknown; part: BodyPart }[] = [];
    let root: BodyPart | undefined;
    const byNode = new Map<unknown, BodyPart>();
    const parentOf = (node: { parentNode?: unknown }): BodyPart | undefined => {
      let p = node.parentNode;
      while (p && !byNode.has(p)) p = (p as { parentNode?: unknown }).parentNode;
      return p ? byNode.get(p) : undefined;
    };
    splitter.on('data', (chunk: { type: string; value?: Buffer; node?: unknown; getHeaders?: () => Buffer; contentType?: string; headers?: { getFirst(k: string): string }; encoding?: string; parentNode?: unknown }) => {
      if (chunk.type === 'node') {
        const header = chunk.getHeaders!();
        const parent = parentOf(chunk as { parentNode?: unknown });
        // RFC 2046 §5.1.5: a part of a multipart/digest without a Content-Type is a message
        const implied = parent?.type === 'multipart' && parent.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
        const ct = libmime.parseHeaderValue(chunk.headers!.getFirst('content-type') || implied);
        const [type, subtype] = (ct.value || 'text/plain').toLowerCase().split('/') as [string, string | undefined];
        const disp = chunk.headers!.getFirst('content-disposition');
        const d = disp ? libmime.parseHeaderValue(disp) : undefined;
        const part: BodyPart = {
          type, subtype: subtype ?? 'plain', params: ct.params as Record<string, string>,
          encoding: (chunk.headers!.getFirst('content-transfer-encoding') || '7bit').trim().toLowerCase(),
          headerStart: offset, bodyStart: offset + header.length, end: offset + header.length, lines: 0,
        };
        const id = chunk.headers!.getFirst('content-id');
        if (id) part.id = id.trim();
        const desc = chunk.headers!.getFirst('content-description');
        if (desc) part.description = desc.trim();
        if (d) part.disposition = { type: d.value.toLowerCase(), params: d.params as Record<string, string> };
        offset += header.length;
        byNode.set(chunk, part);
        if (!parent) root = part;
        else (parent.parts ??= []).push(part);
        stack.push({ node: chunk, part });
        return;
      }
      const len = chunk.value?.length ?? 0;
      offset += len;
      // the end of every enclosing part moves with the bytes it contains
      let p: BodyPart | undefined = chunk.node ? byNode.get(chunk.node) : stack.at(-1)?.part;
      if (chunk.type === 'body' && p) p.end = offset;
      while (chunk.type === 'data' && p) { p.end = Math.max(p.end, offset); p = undefined; }
    });
    splitter.on('end', () => {
      if (!root) return reject(new Error('empty message'));
      fixEnds(root, raw.length);
      resolve(root);
    });
    splitter.on('error', reject);
    splitter.end(raw);
  });
}

/** A part ends where its last child ends (multipart) and never past the message. */
function fixEnds(part: BodyPart, max: number): number {
  if (part.parts?.length) {
    for (const c of part.parts) fixEnds(c, max);
    part.end = Math.max(part.end, part.parts.at(-1)!.end);
  }
  part.end = Math.min(part.end, max);
  return part.end;
}

function addLines(part: BodyPart, raw: Buffer): void {
  part.lines = countLines(raw, part.bodyStart, part.end);
  part.parts?.forEach((c) => addLines(c, raw));
}

function headerIndex(raw: Buffer, end: number): [string, string][] {
  const text = raw.subarray(0, end).toString('latin1').replace(/\r?\n[ \t]/g, ' ');
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return out;
}

type Parsed = Awaited<ReturnType<typeof PostalMime.parse>>;

/** The IMAP-style envelope of a message from its parsed addresses and raw header values. */
function envelopeOf(parsed: Parsed, hdr: [string, string][]): EnvelopeRecord {
  const envelope: EnvelopeRecord = {
    from: flatten(parsed.from as PostalAddress), sender: flatten(parsed.sender as PostalAddress),
    replyTo: flatten(parsed.replyTo as PostalAddress[]), to: flatten(parsed.to as PostalAddress[]),
    cc: flatten(parsed.cc as PostalAddress[]), bcc: flatten(parsed.bcc as PostalAddress[]),
  };
  const get = (k: string) => hdr.find(([n]) => n === k)?.[1];
  if (get('date')) envelope.date = get('date')!;
  if (parsed.subject !== undefined) envelope.subject = get('subject') ?? parsed.subject;
  if (get('in-reply-to')) envelope.inReplyTo = get('in-reply-to')!;
  if (get('message-id')) envelope.messageId = get('message-id')!;
  addExact(envelope, get);
  if (!envelope.sender.length) envelope.sender = envelope.from;
  if (!envelope.replyTo.length) envelope.replyTo = envelope.from;
  return envelope;
}

const HEADER_OF: Record<EnvelopeField, string> = { from: 'from', sender: 'sender', replyTo: 'reply-to', to: 'to', cc: 'cc', bcc: 'bcc' };

/** Groups and source routes, which the flat address lists lose, kept for ENVELOPE (RFC 3501 §7.4.2). */
function addExact(envelope: EnvelopeRecord, get: (k: string) => string | undefined): void {
  const exact: Partial<Record<EnvelopeField, ReturnType<typeof envelopeAddresses>>> = {};
  for (const [field, header] of Object.entries(HEADER_OF) as [EnvelopeField, string][]) {
    const v = get(header);
    if (v && hasGroupOrRoute(v)) exact[field] = envelopeAddresses(v);
  }
  if (exact.from && !envelope.sender.length) exact.sender = exact.from;
  if (exact.from && !envelope.replyTo.length) exact.replyTo = exact.from;
  if (Object.keys(exact).length) envelope.exact = exact;
}

function shift(part: BodyPart, by: number): void {
  part.headerStart += by;
  part.bodyStart += by;
  part.end += by;
  part.parts?.forEach((c) => shift(c, by));
}

/**
 * An attached message (message/rfc822) gets its own structure and envelope, with offsets into
 * the outer message, so IMAP's BODYSTRUCTURE and BODY[n.HEADER] need no parsing later.
 */
async function addEncapsulated(part: BodyPart, raw: Buffer, depth: number): Promise<void> {
  if (depth > 8) return; // a message nested deeper than that is shown as an opaque part
  const isAttachedMessage = part.type === 'message' && part.subtype === 'rfc822' && !part.parts?.length;
  if (isAttachedMessage && ['7bit', '8bit', 'binary'].includes(part.encoding) && part.end > part.bodyStart) {
    const inner = raw.subarray(part.bodyStart, part.end);
    const root = await splitStructure(inner).catch(() => fallbackStructure(inner));
    part.envelope = envelopeOf(await PostalMime.parse(inner), headerIndex(inner, root.bodyStart));
    shift(root, part.bodyStart);
    part.parts = [root];
  }
  for (const c of part.parts ?? []) await addEncapsulated(c, raw, depth + 1);
}

/** Parse a raw RFC 5322 message once; everything translators need later comes from here. */
export async function ingest(raw: Buffer): Promise<Ingested> {
  const end = headerEnd(raw);
  const top = end === undefined ? undefined : { end, hdr: headerIndex(raw, end) };
  const bodyStructure = (top && singlePart(raw, top.hdr, top.end)) ?? await splitStructure(raw).catch(() => fallbackStructure(raw));
  // the splitter may see the header end elsewhere in a malformed message: index what it saw
  const hdr = top && bodyStructure.bodyStart === top.end ? top.hdr : headerIndex(raw, bodyStructure.bodyStart);
  const parsed: Parsed = (parseSimple(raw, bodyStructure, hdr) as Parsed | undefined) ?? await PostalMime.parse(raw);
  await addEncapsulated(bodyStructure, raw, 0);
  addLines(bodyStructure, raw);
  const get = (k: string) => hdr.find(([n]) => n === k)?.[1];
  const envelope = envelopeOf(parsed, hdr);
  const dateMs = parsed.date ? Date.parse(parsed.date) : NaN;
  const result: Ingested = {
    envelope, bodyStructure, headers: hdr, lines: countLines(raw, bodyStructure.bodyStart, raw.length),
    bodyOffset: bodyStructure.bodyStart, text: parsed.text ?? htmlToText(parsed.html ?? ''),
    subject: parsed.subject ?? '', references: ids(get('references')), from: envelope.from,
  };
  const mid = ids(get('message-id'))[0];
  if (mid) result.messageId = mid;
  const irt = ids(get('in-reply-to'))[0];
  if (irt) result.inReplyTo = irt;
  if (!Number.isNaN(dateMs)) result.date = dateMs;
  return result;
}

/**
 * A message that is not multipart and carries no message/* part has one part: its header and
 * its body. Built directly (the header values parsed with libmime), because running the
 * splitter's stream machinery costs more than the rest of ingest for most mail.
 */
function singlePart(raw: Buffer, hdr: [string, string][], bodyStart: number): BodyPart | undefined {
  const get = (k: string) => hdr.find(([n]) => n === k)?.[1];
  const ct = libmime.parseHeaderValue(get('content-type') || 'text/plain');
  const [type, subtype] = (ct.value || 'text/plain').toLowerCase().split('/') as [string, string | undefined];
  if (type === 'multipart' || type === 'message') return undefined;
  const part: BodyPart = {
    type, subtype: subtype ?? 'plain', params: ct.params as Record<string, string>,
    encoding: (get('content-transfer-encoding') || '7bit').trim().toLowerCase(),
    headerStart: 0, bodyStart, end: raw.length, lines: 0,
  };
  const id = get('content-id');
  if (id) part.id = id.trim();
  const desc = get('content-description');
  if (desc) part.description = desc.trim();
  const disp = get('content-disposition');
  if (disp) {
    const d = libmime.parseHeaderValue(disp);
    part.disposition = { type: d.value.toLowerCase(), params: d.params as Record<string, string> };
  }
  return part;
}

/** Where the body starts: after the first empty line (CRLF or bare LF), if there is one. */
function headerEnd(raw: Buffer): number | undefined {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  return crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf + 2;
}

function fallbackStructure(raw: Buffer): BodyPart {
  const bodyStart = headerEnd(raw) ?? raw.length;
  return { type: 'text', subtype: 'plain', params: { charset: 'us-ascii' }, encoding: '7bit', headerStart: 0, bodyStart, end: raw.length, lines: 0 };
}

function htmlToText(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}
