// The one renderer of header dates, names and addresses (RFC 5322 §3.3, §3.4; RFC 2047
// encoded words), and the deterministic RFC 5322 form of a native text post: built once at post
// time and stored, so its size and bytes never change between fetches (IMAP, NNTP). Every
// translator that shows a header value renders it with these, never with a copy.
import libmime from 'libmime';

export interface TextPostHeaders {
  time: number;
  from: { name: string; address: string };
  /** the account, when the From name is not its own (an aide's masquerade) */
  sender?: { name: string; address: string };
  to?: string[];
  subject: string;
  messageId: string;
  inReplyTo?: string;
  references: string[];
}

const isPrintableAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** Unstructured text (a subject): as is when printable ASCII, else one RFC 2047 Q encoded word. */
export function encodeText(s: string): string {
  return isPrintableAscii(s) ? s : libmime.encodeWord(s, 'Q', 60);
}

/** A display name as a phrase: encoded word when not ASCII, quoted when it holds specials. */
export function encodeName(name: string): string {
  if (!isPrintableAscii(name)) return encodeText(name);
  return /[()<>@,;:\\".[\]]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
}

/** `Name <address>`, or the bare address when there is no name. */
export function formatAddress(a: { name?: string; address: string }): string {
  return a.name ? `${encodeName(a.name)} <${a.address}>` : `<${a.address}>`;
}

/** RFC 5322 date in UTC, fixed format so the bytes are deterministic. */
export function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** Render a text post as RFC 5322 bytes with CRLF line ends, UTF-8 body, 8bit. */
export function renderTextPost(h: TextPostHeaders, body: string): Buffer {
  const lines = [`Date: ${rfc5322Date(h.time)}`, `From: ${formatAddress(h.from)}`];
  if (h.sender) lines.push(`Sender: ${formatAddress(h.sender)}`);
  if (h.to?.length) lines.push(`To: ${h.to.join(', ')}`);
  lines.push(`Subject: ${encodeText(h.subject)}`, `Message-ID: ${h.messageId}`);
  if (h.inReplyTo) lines.push(`In-Reply-To: ${h.inReplyTo}`);
  if (h.references.length) lines.push(`References: ${h.references.join(' ')}`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit');
  const text = body.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${text}${text.endsWith('\r\n') || text === '' ? '' : '\r\n'}`, 'utf8');
}
