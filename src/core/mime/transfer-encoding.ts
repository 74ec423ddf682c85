// Content-Transfer-Encoding both ways (RFC 2045 §6): a stored part's body decoded to its octets
// (IMAP BINARY, RFC 3516 §4.2), and binary parts of handed-in bytes re-encoded as base64 before
// they are stored (RFC 3516 §4.3 lets a server that keeps no binary content convert it). The
// part offsets come from ingest; QP through libqp, base64 through Node. One home for both, so
// IMAP BINARY and the text readers decode alike.
import libqp from 'libqp';
import { fieldSpans } from './header.ts';
import type { BodyPart } from '../../store/index.ts';

/** Encodings whose bytes are the content itself. */
const IDENTITY = new Set(['7bit', '8bit', 'binary', '']);

const isLeaf = (p: BodyPart) => p.type !== 'multipart' && !(p.type === 'message' && (p.subtype === 'rfc822' || p.subtype === 'global'));

/**
 * The decoded octets of a part's body; a multipart or an encapsulated message is its bytes as
 * stored (only leaves carry an encoding of their own). Undefined for an encoding Keep does not
 * know (IMAP answers UNKNOWN-CTE).
 */
export function decodedBody(raw: Buffer, part: BodyPart, isRoot: boolean): Buffer | undefined {
  const body = raw.subarray(part.bodyStart, isRoot ? raw.length : part.end);
  if (!isLeaf(part)) return body;
  const cte = part.encoding.trim().toLowerCase();
  if (IDENTITY.has(cte)) return body;
  if (cte === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (cte === 'quoted-printable') return libqp.decode(body);
  return undefined;
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8). */
function base64Lines(bytes: Buffer): Buffer {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}

function binaryLeaves(p: BodyPart, out: BodyPart[]): BodyPart[] {
  if (isLeaf(p)) {
    if (p.encoding.trim().toLowerCase() === 'binary') out.push(p);
  } else for (const c of p.parts ?? []) binaryLeaves(c, out);
  return out;
}

/**
 * The message with every `Content-Transfer-Encoding: binary` leaf re-encoded as base64 and its
 * header saying so; other bytes are kept as they are. A part's line end before the next
 * boundary stays part of the boundary, so the structure around the part is unchanged.
 */
export function encodeBinaryParts(raw: Buffer, root: BodyPart): Buffer {
  const leaves = binaryLeaves(root, []).sort((a, b) => a.headerStart - b.headerStart);
  if (leaves.length === 0) return raw;
  const out: Buffer[] = [];
  let pos = 0;
  for (const leaf of leaves) {
    const end = leaf === root ? raw.length : leaf.end;
    const header = raw.subarray(leaf.headerStart, leaf.bodyStart);
    const cte = fieldSpans(header, header.length).filter((f) => f.name === 'content-transfer-encoding');
    out.push(raw.subarray(pos, leaf.headerStart));
    let at = 0;
    for (const f of cte) {
      out.push(header.subarray(at, f.start), Buffer.from('Content-Transfer-Encoding: base64\r\n'));
      at = f.end;
    }
    out.push(header.subarray(at));
    const encoded = base64Lines(raw.subarray(leaf.bodyStart, end));
    // the boundary that follows brings its own line end
    out.push(leaf === root ? encoded : encoded.subarray(0, encoded.length - 2));
    pos = end;
  }
  out.push(raw.subarray(pos));
  return Buffer.concat(out);
}
