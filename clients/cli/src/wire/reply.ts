// Citadel reply lines (CITADEL-PROTOCOL-NOTES §1, §2): a 3-digit code, one flag character
// (' ' or '*' = instant messages waiting), then free text or '|'-separated fields.
export type ReplyClass = 'listing' | 'ok' | 'more' | 'send-listing' | 'error' | 'other';

export interface Reply {
  code: number;
  /** the server has instant messages waiting for us (§2.3) */
  hasMessages: boolean;
  /** everything after the code and flag character */
  text: string;
  /** listing lines for 1xx replies (without the closing 000) */
  lines: string[];
}

const CLASSES: Record<string, ReplyClass> = { '1': 'listing', '2': 'ok', '3': 'more', '4': 'send-listing', '5': 'error' };

/** Parse one reply line; undefined when the line does not start with a 3-digit code. */
export function parseReplyLine(line: string): Omit<Reply, 'lines'> | undefined {
  const m = /^(\d{3})(.?)(.*)$/s.exec(line);
  if (!m) return undefined;
  return { code: Number(m[1]), hasMessages: m[2] === '*', text: m[3] ?? '' };
}

export function replyClass(code: number): ReplyClass {
  return CLASSES[String(code)[0] ?? ''] ?? 'other';
}

/** Fields of a reply or a listing line; missing trailing fields read as empty (§1). */
export function fields(text: string): string[] {
  return text.split('|');
}

export function field(parts: string[], i: number): string {
  return parts[i] ?? '';
}

export function numField(parts: string[], i: number): number {
  const n = Number(parts[i] ?? '');
  return Number.isFinite(n) ? n : 0;
}

/** Argument text for a command: '|' is the separator and cannot be escaped, CR/LF end the line. */
export function cleanArg(s: string): string {
  return s.replace(/[|\r\n]/g, ' ');
}

/**
 * Lines of a text we send as a listing. A line that is exactly "000" would end the listing
 * early (there is no escaping, §2.2), so it gets a leading space; very long lines are broken
 * at 1000 characters as the stock client does, because servers cap line length.
 */
export function listingLines(text: string, maxLine = 1000): string[] {
  const body = text.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  if (body === '') return [];
  const out: string[] = [];
  for (const line of body.split('\n')) {
    for (let i = 0; i === 0 || i < line.length; i += maxLine) {
      const piece = line.slice(i, i + maxLine);
      out.push(piece === '000' ? ' 000' : piece);
    }
  }
  return out;
}
