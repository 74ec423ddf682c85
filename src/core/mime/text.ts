// The plain text of a message for readers that show text only (native MSG0, search): the text
// parts a mail client would show inline, decoded from their transfer encoding (base64,
// quoted-printable: transfer-encoding.ts) and charset (libmime's iconv tables), or the HTML part as text.
import { decode as decodeCharset } from 'libmime/lib/charset.js';
import type { BodyPart } from '../../store/index.ts';
import { decodedBody } from './transfer-encoding.ts';

/** The text of a body part: transfer encoding, then charset, undone; CRLF as LF. */
function decodePart(raw: Buffer, part: BodyPart): string {
  const bytes = decodedBody(raw, part, false) ?? raw.subarray(part.bodyStart, part.end);
  const charset = part.params.charset ?? 'us-ascii';
  const text = /^(utf-?8|us-ascii|ascii)$/i.test(charset) ? bytes.toString('utf8') : decodeCharset(bytes, charset);
  return text.replace(/\r\n/g, '\n');
}

const isAttachment = (p: BodyPart) => p.disposition?.type === 'attachment';
const isType = (p: BodyPart, subtype: string) => p.type === 'text' && p.subtype === subtype && !isAttachment(p);

/** The parts shown as the message's text: plain where there is a choice, HTML otherwise. */
function textParts(part: BodyPart): { part: BodyPart; isHtml: boolean }[] {
  if (part.type === 'multipart') {
    const children = part.parts ?? [];
    if (part.subtype === 'alternative') {
      const plain = children.find((c) => isType(c, 'plain'));
      const html = children.find((c) => isType(c, 'html'));
      const nested = children.find((c) => c.type === 'multipart');
      if (plain) return [{ part: plain, isHtml: false }];
      if (nested) return textParts(nested);
      return html ? [{ part: html, isHtml: true }] : [];
    }
    return children.flatMap(textParts);
  }
  if (isType(part, 'plain')) return [{ part, isHtml: false }];
  if (isType(part, 'html')) return [{ part, isHtml: true }];
  return [];
}

/** The best plain-text rendering of a message; ends with a line end unless empty. */
export function bestText(raw: Buffer, root: BodyPart): string {
  const parts = textParts(root);
  const plain = parts.filter((p) => !p.isHtml);
  const chosen = plain.length ? plain : parts.slice(0, 1);
  const text = chosen.map((p) => (p.isHtml ? htmlToText(decodePart(raw, p.part)) : decodePart(raw, p.part))).join('\n');
  return text && !text.endsWith('\n') ? `${text}\n` : text;
}

function htmlToText(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}
