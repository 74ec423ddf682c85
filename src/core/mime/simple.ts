// The common case without the full parser: a single-part text/plain message in a charset and
// transfer encoding Node decodes itself. postal-mime costs about 2 ms a message; this path gives
// the same envelope fields and text with libmime (encoded words) and nodemailer's address
// parser. Anything else (multipart, quoted-printable, other charsets, 8-bit headers) returns
// undefined and goes to postal-mime.
import addressparser from 'nodemailer/lib/addressparser';
import libmime from 'libmime';
import type { BodyPart } from '../../store/index.ts';

export type SimpleAddress = { name: string; address?: string; group?: SimpleAddress[] };

export interface SimpleParse {
  from?: SimpleAddress;
  sender?: SimpleAddress;
  replyTo?: SimpleAddress[];
  to?: SimpleAddress[];
  cc?: SimpleAddress[];
  bcc?: SimpleAddress[];
  subject?: string;
  date?: string;
  text?: string;
}

const CHARSETS: Record<string, BufferEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', 'us-ascii': 'utf8', ascii: 'utf8', 'iso-8859-1': 'latin1', latin1: 'latin1' };
const ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64']);

function addresses(value: string | undefined): SimpleAddress[] | undefined {
  if (value === undefined) return undefined;
  const decode = (a: { name?: string; address?: string; group?: unknown[] }): SimpleAddress => {
    const name = a.name ? libmime.decodeWords(a.name) : '';
    if (a.group) return { name, group: (a.group as { name?: string; address?: string }[]).map(decode) };
    return { name, address: a.address ?? '' };
  };
  return (addressparser(value) as { name?: string; address?: string; group?: unknown[] }[]).map(decode);
}

function hasHighBytes(b: Buffer): boolean {
  for (const c of b) if (c >= 0x80) return true;
  return false;
}

export function parseSimple(raw: Buffer, root: BodyPart, headers: [string, string][]): SimpleParse | undefined {
  if (root.parts?.length || root.type !== 'text' || root.subtype !== 'plain') return undefined;
  const charset = CHARSETS[(root.params.charset ?? 'us-ascii').toLowerCase()];
  if (!charset || !ENCODINGS.has(root.encoding)) return undefined;
  if (hasHighBytes(raw.subarray(0, root.bodyStart))) return undefined; // 8-bit headers: the full parser decodes them
  const get = (k: string) => headers.find(([n]) => n === k)?.[1];
  const body = raw.subarray(root.bodyStart, root.end);
  const bytes = root.encoding === 'base64' ? Buffer.from(body.toString('latin1'), 'base64') : body;
  let text = bytes.toString(charset).replace(/\r\n/g, '\n');
  if (text && !text.endsWith('\n')) text += '\n';
  const out: SimpleParse = {};
  const from = addresses(get('from'));
  if (from?.[0]) out.from = from[0];
  const sender = addresses(get('sender'));
  if (sender?.[0]) out.sender = sender[0];
  for (const k of ['to', 'cc', 'bcc'] as const) {
    const list = addresses(get(k));
    if (list) out[k] = list;
  }
  const replyTo = addresses(get('reply-to'));
  if (replyTo) out.replyTo = replyTo;
  const subject = get('subject');
  if (subject !== undefined) out.subject = libmime.decodeWords(subject).trim();
  const date = get('date');
  if (date !== undefined) out.date = date;
  if (text) out.text = text;
  return out;
}
