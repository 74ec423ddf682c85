// The trace header we add (RFC 5321 §4.4) and the line-length rule we hold mail to
// (RFC 5322 §2.1.1: at most 998 octets before CRLF). Pure functions.
import { rfc5322Date } from '../../core/index.ts';

export interface TraceInfo {
  helo: string;
  clientHostname: string;
  remoteAddress: string;
  by: string;
  /** ESMTP, ESMTPS, ESMTPA, ESMTPSA (RFC 3848) */
  protocol: string;
  id: string;
  /** named only for a single recipient, so one copy does not list the others */
  recipient?: string;
  date: Date;
}

const clean = (s: string) => s.replace(/[^\x21-\x7e]/g, '').slice(0, 255) || 'unknown';

export function receivedHeader(t: TraceInfo): string {
  const from = `from ${clean(t.helo)} (${clean(t.clientHostname)} [${clean(t.remoteAddress)}])`;
  const forPart = t.recipient ? `\r\n\tfor <${clean(t.recipient)}>` : '';
  const date = rfc5322Date(t.date.getTime()); // core's one date renderer
  return `Received: ${from}\r\n\tby ${clean(t.by)} (Keep) with ${clean(t.protocol)} id ${clean(t.id)}${forPart};\r\n\t${date}\r\n`;
}

export const MAX_LINE_OCTETS = 998;

/** True when some line of the message is longer than 998 octets (not counting CRLF). */
export function hasOverlongLine(raw: Buffer): boolean {
  let start = 0;
  for (;;) {
    const nl = raw.indexOf(10, start);
    const end = nl < 0 ? raw.length : nl;
    const len = end - start - (end > start && raw[end - 1] === 13 ? 1 : 0);
    if (len > MAX_LINE_OCTETS) return true;
    if (nl < 0) return false;
    start = nl + 1;
  }
}

/**
 * True when the message starts with a header field (RFC 5322 §2.2: printable name, colon).
 * A header-less message gets an empty line under our Received: header, so its first body
 * line is not read as a header.
 */
export function startsWithHeader(raw: Buffer): boolean {
  const nl = raw.indexOf(10);
  const first = raw.subarray(0, nl < 0 ? raw.length : nl).toString('latin1');
  return /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(first);
}
