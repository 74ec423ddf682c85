// The deterministic RFC 5322 form of a native text post: built once at post time and stored,
// so its size and bytes never change between fetches (IMAP, NNTP).
import libmime from 'libmime';

export interface TextPostHeaders {
  time: number;
  fromName: string;
  fromAddress: string;
  to?: string[];
  subject: string;
  messageId: string;
  inReplyTo?: string;
  references: string[];
  newsgroups?: string;
}

const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : libmime.encodeWord(s, 'Q', 60));

function quoteName(name: string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) return encodeWord(name);
  return /[()<>@,;:\\".[\]]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
}

/** RFC 5322 date in UTC, fixed format so the bytes are deterministic. */
export function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** Render a text post as RFC 5322 bytes with CRLF line ends, UTF-8 body, 8bit. */
export function renderTextPost(h: TextPostHeaders, body: string): Buffer {
  const lines = [
    `Date: ${rfc5322Date(h.time)}`,
    `From: ${quoteName(h.fromName)} <${h.fromAddress}>`,
  ];
  if (h.to?.length) lines.push(`To: ${h.to.join(', ')}`);
  if (h.newsgroups) lines.push(`Newsgroups: ${h.newsgroups}`);
  lines.push(`Subject: ${encodeWord(h.subject)}`, `Message-ID: ${h.messageId}`);
  if (h.inReplyTo) lines.push(`In-Reply-To: ${h.inReplyTo}`);
  if (h.references.length) lines.push(`References: ${h.references.join(' ')}`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit');
  const text = body.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${text}${text.endsWith('\r\n') || text === '' ? '' : '\r\n'}`, 'utf8');
}
