// Address lists with what the envelope must keep and the libraries flatten away: groups
// ("team: a@x, b@y;", RFC 5322 §3.4) and source routes ("<@relay:user@host>", RFC 5322 §4.4),
// as IMAP's ENVELOPE lists them (RFC 3501 §7.4.2: a group is a start entry carrying its name
// as mailbox and an end entry of NILs). Only header values that use either are parsed here.
import type { EnvelopeAddress } from '../../store/index.ts';

type Token = { t: 'word' | 'quoted' | 'comment' | 'literal'; v: string } | { t: 'special'; v: string };

const SPECIALS = new Set(['<', '>', ':', ';', '@', ',', '.']);

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
    if (c === '"') {
      let v = '';
      for (i++; i < s.length && s[i] !== '"'; i++) v += s[i] === '\\' ? s[++i] ?? '' : s[i];
      i++;
      out.push({ t: 'quoted', v });
    } else if (c === '(') {
      let depth = 0;
      let v = '';
      for (; i < s.length; i++) {
        const d = s[i]!;
        if (d === '\\') { v += s[++i] ?? ''; continue; }
        if (d === '(') { if (depth++ > 0) v += d; continue; }
        if (d === ')') { if (--depth === 0) { i++; break; } v += d; continue; }
        v += d;
      }
      out.push({ t: 'comment', v: v.trim() });
    } else if (c === '[') {
      const end = s.indexOf(']', i);
      const stop = end < 0 ? s.length : end + 1;
      out.push({ t: 'literal', v: s.slice(i, stop) });
      i = stop;
    } else if (SPECIALS.has(c)) {
      out.push({ t: 'special', v: c });
      i++;
    } else {
      let v = '';
      while (i < s.length && !/[\s"(<>:;@,.[]/.test(s[i]!)) v += s[i++];
      out.push({ t: 'word', v });
    }
  }
  return out;
}

/** True when a header value uses group syntax or a source route (outside quotes and comments). */
export function hasGroupOrRoute(value: string): boolean {
  if (!value.includes(':')) return false;
  return tokenize(value).some((t, i, all) => t.t === 'special' && (t.v === ':' || (t.v === '<' && all[i + 1]?.v === '@')));
}

class Reader {
  i = 0;
  constructor(private readonly toks: Token[]) {}
  peek(): Token | undefined { return this.toks[this.i]; }
  isSpecial(v: string): boolean { const t = this.peek(); return t?.t === 'special' && t.v === v; }
  next(): Token | undefined { return this.toks[this.i++]; }
}

/** Words (and dots) up to a special that ends them; comments kept apart. */
function words(r: Reader): { words: string[]; comments: string[] } {
  const out: string[] = [];
  const comments: string[] = [];
  for (let t = r.peek(); t; t = r.peek()) {
    if (t.t === 'comment') comments.push(t.v);
    else if (t.t === 'special' && t.v !== '.') break;
    else out.push(t.v);
    r.next();
  }
  return { words: out, comments };
}

const phrase = (ws: string[]): string => ws.join(' ').replace(/ \. /g, '. ').replace(/ \.$/, '.').trim();
const joined = (ws: string[]): string => ws.join('');

/** The rest of an address after its local part: '@' domain, and the comments around it. */
function domainPart(r: Reader): { host?: string; comments: string[] } {
  if (!r.isSpecial('@')) return { comments: [] };
  r.next();
  const w = words(r);
  const host = joined(w.words);
  return host ? { host, comments: w.comments } : { comments: w.comments };
}

function angleAddress(r: Reader, name: string | undefined): EnvelopeAddress {
  r.next(); // '<'
  let route: string | undefined;
  if (r.isSpecial('@')) {
    const parts: string[] = [];
    for (let t = r.peek(); t && !(t.t === 'special' && (t.v === ':' || t.v === '>')); t = r.peek()) {
      parts.push(t.v);
      r.next();
    }
    route = parts.join('');
    if (r.isSpecial(':')) r.next();
  }
  const local = joined(words(r).words);
  const { host } = domainPart(r);
  while (r.peek() && !r.isSpecial('>')) r.next();
  if (r.isSpecial('>')) r.next();
  return { ...(name ? { name } : {}), ...(route ? { route } : {}), ...(local ? { mailbox: local } : {}), ...(host ? { host } : {}) };
}

/** One mailbox, or a group with its members, appended to `out`. */
function element(r: Reader, out: EnvelopeAddress[], isTop: boolean): void {
  const { words: ws, comments } = words(r);
  if (isTop && r.isSpecial(':')) {
    r.next();
    out.push({ mailbox: phrase(ws) });
    while (r.peek() && !r.isSpecial(';')) {
      if (r.isSpecial(',')) { r.next(); continue; }
      const before = r.i;
      element(r, out, false);
      if (r.i === before) r.next();
    }
    if (r.isSpecial(';')) r.next();
    out.push({});
    return;
  }
  if (r.isSpecial('<')) {
    out.push(angleAddress(r, phrase(ws) || undefined));
    words(r); // trailing comments
    return;
  }
  const { host, comments: after } = domainPart(r);
  const name = [...comments, ...after, ...words(r).comments].at(-1);
  if (ws.length || host) out.push({ ...(name ? { name } : {}), ...(ws.length ? { mailbox: joined(ws) } : {}), ...(host ? { host } : {}) });
}

/** An address-list header value as IMAP ENVELOPE entries, groups and routes included. */
export function envelopeAddresses(value: string): EnvelopeAddress[] {
  const r = new Reader(tokenize(value));
  const out: EnvelopeAddress[] = [];
  while (r.peek()) {
    if (r.isSpecial(',') || r.isSpecial(';')) { r.next(); continue; }
    const before = r.i;
    element(r, out, true);
    if (r.i === before) r.next();
  }
  return out;
}
