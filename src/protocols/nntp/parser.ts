// Wire text → typed values (RFC 3977 §3.1 commands, §4 wildmat, §6 ranges and dates). Pure: no I/O.
import { CODE } from './codes.ts';
import { NntpError } from './errors.ts';

export interface Command {
  /** upper-cased first word (and the keyword for two-word verbs: 'MODE READER', 'AUTHINFO USER') */
  verb: string;
  /** the remaining whitespace-separated arguments */
  args: string[];
  /** the text after the verb as sent (AUTHINFO PASS takes it whole: a password may hold spaces) */
  rest: string;
}

/** Verbs whose first argument is part of the verb (RFC 3977 MODE READER, LIST keywords stay args). */
const TWO_WORD = new Set(['MODE', 'AUTHINFO']);

export function parseCommand(line: string): Command {
  const trimmed = line.replace(/^[ \t]+/, '');
  const m = /^(\S+)(?:[ \t]+(.*))?$/s.exec(trimmed);
  if (!m) return { verb: '', args: [], rest: '' };
  let verb = m[1]!.toUpperCase();
  let rest = m[2] ?? '';
  if (TWO_WORD.has(verb)) {
    const k = /^(\S+)(?:[ \t]+(.*))?$/s.exec(rest);
    if (k) {
      verb = `${verb} ${k[1]!.toUpperCase()}`;
      rest = k[2] ?? '';
    }
  }
  const args = rest.trim() === '' ? [] : rest.trim().split(/[ \t]+/);
  return { verb, args, rest };
}

/** An inclusive range of article numbers; `to` is Infinity for the open form "n-". */
export interface Range { from: number; to: number }

const MAX_DIGITS = 16; // RFC 3977 §6: article numbers have at most 16 digits

/** "n", "n-" or "n-m" (RFC 3977 §6.1.2.2 range); anything else is a 501. */
export function parseRange(s: string): Range {
  const m = /^(\d+)(?:(-)(\d*))?$/.exec(s);
  if (!m || m[1]!.length > MAX_DIGITS || (m[3] ?? '').length > MAX_DIGITS) throw new NntpError(CODE.SYNTAX_ERROR, `Malformed range '${s.slice(0, 40)}'`);
  const from = Number(m[1]);
  if (!m[2]) return { from, to: from };
  return { from, to: m[3] ? Number(m[3]) : Infinity };
}

/** A message-id argument (RFC 3977 §3.6): angle brackets, printable, no spaces, at most 250 octets. */
export function isMessageId(s: string): boolean {
  return s.length >= 3 && s.length <= 250 && /^<[\x21-\x3d\x3f-\x7e]+>$/.test(s);
}

/** An article number argument: 1-16 digits. */
export function parseArticleNumber(s: string): number {
  if (!/^\d{1,16}$/.test(s)) throw new NntpError(CODE.SYNTAX_ERROR, `Malformed article number '${s.slice(0, 40)}'`);
  return Number(s);
}

/** RFC 3977 §4 wildmat: comma-separated patterns with * and ?, '!' negates; the last match decides. */
export function compileWildmat(spec: string): (name: string) => boolean {
  if (/[\\[\]]/.test(spec) || spec === '') throw new NntpError(CODE.SYNTAX_ERROR, 'Malformed wildmat');
  const parts = spec.split(',').map((p) => {
    const isNegated = p.startsWith('!');
    const body = isNegated ? p.slice(1) : p;
    if (body === '' || body.includes('!')) throw new NntpError(CODE.SYNTAX_ERROR, 'Malformed wildmat');
    const re = new RegExp(`^${body.replace(/[.+^${}()|/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'su');
    return { isNegated, re };
  });
  return (name) => {
    let result = false;
    for (const p of parts) if (p.re.test(name)) result = !p.isNegated;
    return result;
  };
}

/**
 * NEWGROUPS/NEWNEWS date and time (RFC 3977 §7.3.2): yymmdd or yyyymmdd, hhmmss, optional GMT.
 * Without GMT the time is the server's local time; Keep's servers run in UTC, so both read as UTC.
 * A two-digit year is in the current century unless that would be in the future.
 */
export function parseDateTime(date: string | undefined, time: string | undefined, gmt: string | undefined, now = new Date()): number {
  if (!date || !time || !/^(\d{6}|\d{8})$/.test(date) || !/^\d{6}$/.test(time) || (gmt !== undefined && gmt.toUpperCase() !== 'GMT')) {
    throw new NntpError(CODE.SYNTAX_ERROR, 'Expected yyyymmdd hhmmss [GMT]');
  }
  let year: number;
  if (date.length === 8) year = Number(date.slice(0, 4));
  else {
    const yy = Number(date.slice(0, 2));
    const century = Math.floor(now.getUTCFullYear() / 100) * 100;
    year = century + yy > now.getUTCFullYear() ? century - 100 + yy : century + yy;
  }
  const d = date.slice(-4);
  const [mo, da, h, mi, s] = [Number(d.slice(0, 2)), Number(d.slice(2)), Number(time.slice(0, 2)), Number(time.slice(2, 4)), Number(time.slice(4))];
  const ms = Date.UTC(year, mo - 1, da, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== da || h > 23 || mi > 59 || s > 59) {
    throw new NntpError(CODE.SYNTAX_ERROR, 'No such date or time');
  }
  return ms;
}
