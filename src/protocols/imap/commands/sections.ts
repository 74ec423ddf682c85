// Body sections (RFC 3501 §6.4.5 BODY[section]) cut from the stored bytes with the part
// offsets computed at ingest; no MIME parsing here. HEADER.FIELDS takes the fields' bytes from
// core's header reader; BINARY (RFC 3516) has core undo the part's transfer encoding.
import { decodedBody, fieldSpans, headerEnd, type BodyPart } from '../../../core/index.ts';
import type { Section } from './fetch-items.ts';

const CRLF = Buffer.from('\r\n');

const isMessagePart = (p: BodyPart) => p.type === 'message' && p.subtype === 'rfc822';

/**
 * An encapsulated message whose inner structure ingest did not record: its header ends at the
 * first empty line of the part's body, and the rest is its text.
 */
function encapsulated(raw: Buffer, part: BodyPart): BodyPart {
  const body = raw.subarray(part.bodyStart, part.end);
  const split = headerEnd(body) ?? body.length;
  return { type: 'text', subtype: 'plain', params: {}, encoding: '7bit', headerStart: part.bodyStart, bodyStart: part.bodyStart + split, end: part.end, lines: 0 };
}

/** The part a section path names; for message/rfc822 parts the path continues inside. */
export function findPart(root: BodyPart, path: number[], raw: Buffer): BodyPart | undefined {
  let cur: BodyPart | undefined = root;
  for (let i = 0; i < path.length && cur; i++) {
    const n = path[i]!;
    if (i > 0 && isMessagePart(cur)) cur = cur.parts?.[0] ?? encapsulated(raw, cur);
    if (!cur) return undefined;
    if (cur.type === 'multipart') cur = cur.parts?.[n - 1];
    else if (n !== 1) return undefined;
  }
  return cur;
}

/** The header fields of a header block whose names are (or, with isNot, are not) listed. */
export function headerFields(block: Buffer, names: string[], isNot: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: Buffer[] = [];
  // core's one header reader finds each field's bytes; they are sent as stored
  for (const f of fieldSpans(block, headerEnd(block) ?? block.length)) {
    if (wanted.has(f.name) === isNot) continue;
    const bytes = block.subarray(f.start, f.end);
    out.push(bytes, bytes.at(-1) === 10 ? Buffer.alloc(0) : CRLF);
  }
  out.push(CRLF);
  return Buffer.concat(out);
}

/** The bytes of a section of a stored message; empty when the part does not exist. */
export function sectionBytes(raw: Buffer, root: BodyPart, sec: Section): Buffer {
  const empty = Buffer.alloc(0);
  let part: BodyPart | undefined = root;
  if (sec.path.length) {
    part = findPart(root, sec.path, raw);
    if (!part) return empty;
    if (sec.part === '') return raw.subarray(part.bodyStart, part.end);
    if (sec.part === 'MIME') return raw.subarray(part.headerStart, part.bodyStart);
    // HEADER / TEXT of an encapsulated message
    if (!isMessagePart(part)) return empty;
    part = part.parts?.[0] ?? encapsulated(raw, part);
  } else if (sec.part === '') return raw;
  const header = raw.subarray(part.headerStart, part.bodyStart);
  const textEnd = part === root ? raw.length : part.end;
  switch (sec.part) {
    case 'HEADER': return header;
    case 'TEXT': return raw.subarray(part.bodyStart, textEnd);
    case 'HEADER.FIELDS': return headerFields(header, sec.fields, false);
    case 'HEADER.FIELDS.NOT': return headerFields(header, sec.fields, true);
    default: return empty;
  }
}

/**
 * The content of a part for BINARY[path]: the transfer encoding of a leaf undone, anything else
 * as stored; empty when the part does not exist, undefined for an unknown encoding.
 */
export function binaryBytes(raw: Buffer, root: BodyPart, path: number[]): Buffer | undefined {
  if (path.length === 0) return raw;
  const part = findPart(root, path, raw);
  if (!part) return Buffer.alloc(0);
  return decodedBody(raw, part, part === root);
}
