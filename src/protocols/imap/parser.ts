// IMAP wire grammar (RFC 3501 §9, RFC 7888 LITERAL+, RFC 3516 literal8): command framing, tokens
// (atoms, quoted strings, literals, parenthesised lists), sequence sets, dates, mailbox-name
// UTF-7. No I/O.

/** One complete command as framed off the wire: text lines, each but the last ending in a literal marker. */
export interface Frame {
  lines: string[];
  literals: Buffer[];
}

export type Value =
  | { t: 'atom'; v: string }
  /** isLiteral: sent as {n} or ~{n}, not quoted; isLiteral8: as ~{n} (RFC 3516), any octet */
  | { t: 'string'; v: string; bytes: Buffer; isLiteral?: boolean; isLiteral8?: boolean }
  | { t: 'list'; v: Value[] };

export interface Command {
  tag: string;
  /** upper-case verb; 'UID FETCH' style for UID forms */
  name: string;
  args: Value[];
}

/** A syntax error; carries the tag when one could be read so the reply can be tagged. */
export class ParseError extends Error {
  constructor(message: string, readonly tag?: string) {
    super(message);
  }
}

/** A literal marker at the end of a line: {n} (synchronising) or {n+} (LITERAL+). */
export function literalMarker(line: string): { size: number; isSync: boolean } | undefined {
  const m = /\{(\d{1,20})(\+?)\}$/.exec(line);
  if (!m) return undefined;
  return { size: Number(m[1]), isSync: m[2] !== '+' };
}

const TAG_RE = /^[\x21-\x7e]+$/;
const UNBALANCED = 'Unbalanced [ in argument';
const ATOM_STOP = new Set([' ', '(', ')', '{', '"', '\\', '%', '*', ']']);

/** Tokenise a framed command into tag, verb and arguments. */
export function parseCommand(frame: Frame): Command {
  const first = frame.lines[0] ?? '';
  const sp = first.indexOf(' ');
  const tag = sp < 0 ? first : first.slice(0, sp);
  if (!tag || !TAG_RE.test(tag) || /[(){%*"\\+]/.test(tag)) throw new ParseError('Missing or invalid tag');
  if (sp < 0) throw new ParseError('Missing command', tag);
  const t = new Tokens({ lines: [first.slice(sp + 1), ...frame.lines.slice(1)], literals: frame.literals });
  let name = t.atom(tag).toUpperCase();
  if (!/^[A-Z]+$/.test(name)) throw new ParseError('Invalid command name', tag);
  if (name === 'UID') {
    t.space(tag);
    name = `UID ${t.atom(tag).toUpperCase()}`;
  }
  const args: Value[] = [];
  while (!t.atEnd()) {
    t.space(tag);
    args.push(t.value(tag, 0));
  }
  return { tag, name, args };
}

class Tokens {
  private line = 0;
  private pos = 0;
  constructor(private readonly f: Frame) {}

  private get text(): string {
    return this.f.lines[this.line] ?? '';
  }

  atEnd(): boolean {
    return this.pos >= this.text.length && this.line >= this.f.lines.length - 1;
  }

  space(tag: string): void {
    if (this.text[this.pos] !== ' ') throw new ParseError('Expected a space between arguments', tag);
    this.pos += 1;
    if (this.text[this.pos] === ' ') throw new ParseError('Unexpected double space', tag);
  }

  /**
   * An atom; '[' … ']' runs (BODY[HEADER.FIELDS (A B)]) and '<…>' partials belong to it. A '['
   * that is never closed is an ordinary atom character (RFC 3501 §9: only ']' is special).
   */
  atom(tag: string): string {
    const start = this.pos;
    try {
      return this.scanAtom(tag, true);
    } catch (err) {
      if (!(err instanceof ParseError && err.message === UNBALANCED)) throw err;
      this.pos = start;
      return this.scanAtom(tag, false);
    }
  }

  private scanAtom(tag: string, isBracketed: boolean): string {
    const s = this.text;
    const start = this.pos;
    let depth = 0;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '[' && isBracketed) depth += 1;
      else if (c === ']') {
        if (depth === 0) break;
        depth -= 1;
      } else if (depth === 0 && ATOM_STOP.has(c) && !(c === '%' || c === '*') && !(c === '\\' && this.pos === start)) break;
      else if (depth === 0 && (c === '(' || c === ')')) break;
      if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) throw new ParseError('Control character in atom', tag);
      this.pos += 1;
    }
    if (depth !== 0) throw new ParseError(UNBALANCED, tag);
    if (this.pos === start) throw new ParseError(`Unexpected ${s[start] === undefined ? 'end of line' : `'${s[start]}'`}`, tag);
    return s.slice(start, this.pos);
  }

  value(tag: string, depth: number): Value {
    if (depth > 20) throw new ParseError('Lists nested too deeply', tag);
    const c = this.text[this.pos];
    if (c === '(') {
      this.pos += 1;
      const items: Value[] = [];
      while (this.text[this.pos] !== ')') {
        if (this.atEnd() || this.pos >= this.text.length && this.text[this.pos] === undefined && !this.atLiteral()) throw new ParseError('Unbalanced parenthesis', tag);
        if (items.length) this.space(tag);
        items.push(this.value(tag, depth + 1));
      }
      this.pos += 1;
      return { t: 'list', v: items };
    }
    if (c === '"') return this.quoted(tag);
    if (c === '{') return this.literal(tag, false);
    if (c === '~' && this.text[this.pos + 1] === '{') {
      this.pos += 1;
      return this.literal(tag, true);
    }
    return { t: 'atom', v: this.atom(tag) };
  }

  private atLiteral(): boolean {
    return literalMarker(this.text.slice(this.pos)) !== undefined;
  }

  private quoted(tag: string): Value {
    const s = this.text;
    let out = '';
    this.pos += 1;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) throw new ParseError('Unterminated quoted string', tag);
      this.pos += 1;
      if (c === '"') break;
      if (c === '\\') {
        const n = s[this.pos];
        if (n !== '"' && n !== '\\') throw new ParseError('Invalid escape in quoted string', tag);
        out += n;
        this.pos += 1;
      } else if (c === '\r' || c === '\n') throw new ParseError('Line break in quoted string', tag);
      else out += c;
    }
    const bytes = Buffer.from(out, 'latin1');
    return { t: 'string', v: bytes.toString('utf8'), bytes };
  }

  private literal(tag: string, isLiteral8: boolean): Value {
    const rest = this.text.slice(this.pos);
    const m = literalMarker(rest);
    if (!m || !/^\{\d+\+?\}$/.test(rest)) throw new ParseError('Invalid literal', tag);
    const bytes = this.f.literals[this.line];
    if (!bytes) throw new ParseError('Missing literal data', tag);
    this.line += 1;
    this.pos = 0;
    return { t: 'string', v: bytes.toString('utf8'), bytes, isLiteral: true, ...(isLiteral8 ? { isLiteral8 } : {}) };
  }
}

// ---- argument helpers (used by command handlers) ----

export function asString(v: Value | undefined, what: string, tag?: string): string {
  if (!v || v.t === 'list') throw new ParseError(`Expected ${what}`, tag);
  return v.v;
}

export function asAtom(v: Value | undefined, what: string, tag?: string): string {
  if (!v || v.t !== 'atom') throw new ParseError(`Expected ${what}`, tag);
  return v.v;
}

export function asList(v: Value | undefined, what: string, tag?: string): Value[] {
  if (!v || v.t !== 'list') throw new ParseError(`Expected a parenthesised ${what}`, tag);
  return v.v;
}

/** A sequence set: ranges with '*' as Infinity-marker (resolved against the mailbox later). */
export type SeqSet = { from: number; to: number }[];
export const STAR = -1;

/** `$`: the messages the last SEARCH RETURN (SAVE) kept (RFC 5182 §2.1); only the mailbox view resolves it. */
export const SAVED = -2;
const SAVED_SET: SeqSet = [{ from: SAVED, to: SAVED }];

export function isSavedSet(set: SeqSet): boolean {
  return set.length === 1 && set[0]!.from === SAVED;
}

/** A sequence set as the command grammar allows it: numbers, ranges, '*', or `$` alone (RFC 5182). */
export function parseSeqSet(s: string): SeqSet {
  if (s === '$') return SAVED_SET;
  return parseNumberSet(s);
}

/** A sequence set without `$` (QRESYNC's known UIDs and the like). */
export function parseNumberSet(s: string): SeqSet {
  if (!/^[\d*:,]+$/.test(s)) throw new ParseError(`Invalid sequence set '${s.slice(0, 40)}'`);
  return s.split(',').map((part) => {
    const ends = part.split(':');
    if (ends.length > 2 || ends.some((e) => e === '')) throw new ParseError(`Invalid sequence set '${s.slice(0, 40)}'`);
    const nums = ends.map((e) => {
      if (e === '*') return STAR;
      if (!/^\d+$/.test(e) || e.startsWith('0') || Number(e) > 0xffffffff) throw new ParseError(`Invalid sequence number '${e}'`);
      return Number(e);
    });
    return { from: nums[0]!, to: nums[1] ?? nums[0]! };
  });
}

/** Resolve '*' to max and order each range; an empty mailbox resolves '*' to nothing. */
export function resolveSeqSet(set: SeqSet, max: number): { from: number; to: number }[] {
  return set.map(({ from, to }) => {
    const a = from === STAR ? max : from;
    const b = to === STAR ? max : to;
    return { from: Math.min(a, b), to: Math.max(a, b) };
  });
}

export function inSeqSet(ranges: { from: number; to: number }[], n: number): boolean {
  return ranges.some((r) => n >= r.from && n <= r.to);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** SEARCH date: d-Mon-yyyy → UTC midnight ms (RFC 3501 dates disregard time and zone). */
export function parseDate(s: string): number {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s);
  const mon = m ? MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase()) : -1;
  if (!m || mon < 0) throw new ParseError(`Invalid date '${s.slice(0, 30)}'`);
  return Date.UTC(Number(m[3]), mon, Number(m[1]));
}

/** APPEND date-time: "dd-Mon-yyyy hh:mm:ss +zzzz" → ms. */
export function parseDateTime(s: string): number {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  const mon = m ? MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase()) : -1;
  if (!m || mon < 0) throw new ParseError(`Invalid date-time '${s.slice(0, 40)}'`);
  const utc = Date.UTC(Number(m[3]), mon, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1);
  return utc - offset;
}

/**
 * Modified UTF-7 mailbox names (RFC 3501 §5.1.3) → Unicode. After ENABLE UTF8=ACCEPT names
 * arrive as UTF-8 (RFC 6855 §3) and are taken as they are: an '&' is then just an '&'.
 */
export function decodeMailboxName(s: string, isUtf8 = false): string {
  if (isUtf8) {
    // the parser read the bytes as UTF-8: a replacement character means they were not (RFC 6855 §3)
    if (s.includes('\uFFFD')) throw new ParseError('A mailbox name must be valid UTF-8');
    return s;
  }
  return s.replace(/&([^-]*)-/g, (_all, b64: string) => {
    if (b64 === '') return '&';
    const bytes = Buffer.from(b64.replace(/,/g, '/'), 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return out;
  });
}
