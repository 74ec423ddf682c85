// Ingest-time MIME parsing, once per message: header index, envelope, body structure with byte
// offsets, line count and text. The part tree comes from mailsplit (it keeps every byte, so
// offsets are exact), header values from header.ts, addresses and encoded words from
// nodemailer's parser and libmime; no translator ever parses MIME (STYLE.md §5).
import { Splitter } from 'mailsplit';
import libmime from 'libmime';
import { parseAddresses } from './addresses.ts';
import { envelopeAddresses, hasGroupOrRoute } from './address-list.ts';
import { fieldOf, headerEnd, idsIn, indexHeader, type HeaderIndex } from './header.ts';
import { bestText } from './text.ts';
import type { Address, BodyPart, EnvelopeField, EnvelopeRecord } from '../../store/index.ts';

export interface Ingested {
  envelope: EnvelopeRecord;
  bodyStructure: BodyPart;
  headers: HeaderIndex;
  lines: number;
  bodyOffset: number;
  /** the best plain-text rendering of the message (text part, or HTML converted) */
  text: string;
  /** the subject decoded for display */
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from: Address[];
  date?: number;
}

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

type HeaderGet = (k: string) => string | undefined;

/** A part as described by its own header (Content-Type, -Transfer-Encoding, -Disposition…). */
function partOf(get: HeaderGet, at: { headerStart: number; bodyStart: number; end: number }, implied = 'text/plain'): BodyPart {
  const ct = libmime.parseHeaderValue(get('content-type') || implied);
  const [type, subtype] = (ct.value || 'text/plain').toLowerCase().split('/') as [string, string | undefined];
  const part: BodyPart = {
    type, subtype: subtype ?? 'plain', params: ct.params as Record<string, string>,
    encoding: (get('content-transfer-encoding') || '7bit').trim().toLowerCase(), ...at, lines: 0,
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

type SplitChunk = { type: string; value?: Buffer; node?: unknown; getHeaders?: () => Buffer; headers?: { getFirst(k: string): string }; parentNode?: unknown };

/** The part tree with byte offsets, from mailsplit's event stream (which preserves bytes). */
function splitStructure(raw: Buffer): Promise<BodyPart> {
  return new Promise((resolve, reject) => {
    const splitter = new PaddedSplitter({ ignoreEmbedded: false });
    let offset = 0;
    let root: BodyPart | undefined;
    let current: BodyPart | undefined;
    const byNode = new Map<unknown, BodyPart>();
    const parentOf = (node: { parentNode?: unknown }): BodyPart | undefined => {
      let p = node.parentNode;
      while (p && !byNode.has(p)) p = (p as { parentNode?: unknown }).parentNode;
      return p ? byNode.get(p) : undefined;
    };
    splitter.on('data', (chunk: SplitChunk) => {
      if (chunk.type === 'node') {
        const header = chunk.getHeaders!();
        const parent = parentOf(chunk);
        // RFC 2046 §5.1.5: a part of a multipart/digest without a Content-Type is a message
        const implied = parent?.type === 'multipart' && parent.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
        const part = partOf((k) => chunk.headers!.getFirst(k), { headerStart: offset, bodyStart: offset + header.length, end: offset + header.length }, implied);
        offset += header.length;
        byNode.set(chunk, part);
        if (!parent) root = part;
        else (parent.parts ??= []).push(part);
        current = part;
        return;
      }
      offset += chunk.value?.length ?? 0;
      // a body chunk moves the end of the part it belongs to
      const p = chunk.node ? byNode.get(chunk.node) : current;
      if (chunk.type === 'body' && p) p.end = offset;
      else if (chunk.type === 'data' && p) p.end = Math.max(p.end, offset);
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

/** The IMAP-style envelope (RFC 3501 §7.4.2): texts as in the header index, addresses parsed. */
export function envelopeOf(hdr: HeaderIndex): EnvelopeRecord {
  const get = (k: string) => fieldOf(hdr, k);
  const envelope: EnvelopeRecord = {
    from: parseAddresses(get('from')), sender: parseAddresses(get('sender')), replyTo: parseAddresses(get('reply-to')),
    to: parseAddresses(get('to')), cc: parseAddresses(get('cc')), bcc: parseAddresses(get('bcc')),
  };
  const date = get('date');
  if (date) envelope.date = date;
  const subject = get('subject');
  if (subject !== undefined) envelope.subject = subject;
  const irt = get('in-reply-to');
  if (irt) envelope.inReplyTo = irt;
  const mid = get('message-id');
  if (mid) envelope.messageId = mid;
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
    const root = await structureOf(inner).catch(() => fallbackStructure(inner));
    part.envelope = envelopeOf(indexHeader(inner, root.bodyStart));
    shift(root, part.bodyStart);
    part.parts = [root];
  }
  for (const c of part.parts ?? []) await addEncapsulated(c, raw, depth + 1);
}

/**
 * The part tree. A message that is not multipart and carries no message/* part has one part:
 * its header and its body, built directly, because the splitter's stream machinery costs more
 * than the rest of ingest for most mail.
 */
async function structureOf(raw: Buffer): Promise<BodyPart> {
  const end = headerEnd(raw);
  if (end !== undefined) {
    const hdr = indexHeader(raw, end);
    const part = partOf((k) => fieldOf(hdr, k), { headerStart: 0, bodyStart: end, end: raw.length });
    if (part.type !== 'multipart' && part.type !== 'message') return part;
  }
  return splitStructure(raw);
}

/** Parse a raw RFC 5322 message once; everything translators need later comes from here. */
export async function ingest(raw: Buffer): Promise<Ingested> {
  const bodyStructure = await structureOf(raw).catch(() => fallbackStructure(raw));
  const hdr = indexHeader(raw, bodyStructure.bodyStart);
  await addEncapsulated(bodyStructure, raw, 0);
  addLines(bodyStructure, raw);
  const get = (k: string) => fieldOf(hdr, k);
  const envelope = envelopeOf(hdr);
  const dateMs = Date.parse(get('date') ?? '');
  const result: Ingested = {
    envelope, bodyStructure, headers: hdr, lines: countLines(raw, bodyStructure.bodyStart, raw.length),
    bodyOffset: bodyStructure.bodyStart, text: bestText(raw, bodyStructure),
    subject: libmime.decodeWords(get('subject') ?? '').trim(), references: idsIn(get('references')), from: envelope.from,
  };
  const mid = idsIn(get('message-id'))[0];
  if (mid) result.messageId = mid;
  const irt = idsIn(get('in-reply-to'))[0];
  if (irt) result.inReplyTo = irt;
  if (!Number.isNaN(dateMs)) result.date = dateMs;
  return result;
}

function fallbackStructure(raw: Buffer): BodyPart {
  const bodyStart = headerEnd(raw) ?? raw.length;
  return { type: 'text', subtype: 'plain', params: { charset: 'us-ascii' }, encoding: '7bit', headerStart: 0, bodyStart, end: raw.length, lines: 0 };
}
