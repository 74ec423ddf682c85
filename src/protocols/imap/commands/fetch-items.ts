// FETCH data items (RFC 3501 §6.4.5, RFC 3516 BINARY; EMAILID and THREADID RFC 8474, SAVEDATE
// RFC 8514, PREVIEW RFC 8970): wire arguments → typed items. Pure.
import { ImapError } from '../errors.ts';
import type { Value } from '../parser.ts';

export type SectionPart = '' | 'HEADER' | 'TEXT' | 'MIME' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT';

export interface Section {
  path: number[];
  part: SectionPart;
  fields: string[];
}

export type FetchItem =
  | { k: 'UID' | 'FLAGS' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY' | 'MODSEQ' | 'EMAILID' | 'THREADID' | 'SAVEDATE' | 'PREVIEW' }
  /** a body section; RFC822, RFC822.HEADER and RFC822.TEXT are sections with their own labels */
  | { k: 'section'; isPeek: boolean; section: Section; partial?: Partial; label: string }
  /** a part's content with its transfer encoding undone (RFC 3516 §4.2) */
  | { k: 'binary'; isPeek: boolean; path: number[]; partial?: Partial; label: string }
  /** the size of that content (RFC 3516 §4.2 BINARY.SIZE) */
  | { k: 'binary-size'; path: number[]; label: string };

export interface Partial {
  start: number;
  length: number;
}

const SIMPLE = new Set(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'MODSEQ', 'EMAILID', 'THREADID', 'SAVEDATE', 'PREVIEW']);
const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const SECTION_RE = /^(BODY|BODY\.PEEK)\[([^\]]*)\](?:<(\d+)(?:\.(\d+))?>)?$/i;
const BINARY_RE = /^(BINARY|BINARY\.PEEK|BINARY\.SIZE)\[([^\]]*)\](?:<(\d+)(?:\.(\d+))?>)?$/i;
const PART_RE = /^(?:[1-9]\d*(?:\.[1-9]\d*)*)?$/;
const SPEC_RE = /^((?:[1-9]\d*)(?:\.[1-9]\d*)*)?(?:\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME))?(?: \((.*)\))?$/i;

export function parseSection(spec: string): Section {
  const m = SPEC_RE.exec(spec);
  if (!m) throw new ImapError('BAD', `Invalid body section '${spec.slice(0, 40)}'`);
  const path = m[1] ? m[1].split('.').map(Number) : [];
  const part = (m[2]?.toUpperCase() ?? '') as SectionPart;
  if (m[1] && m[2] && spec[m[1].length] !== '.') throw new ImapError('BAD', `Invalid body section '${spec.slice(0, 40)}'`);
  const isFields = part === 'HEADER.FIELDS' || part === 'HEADER.FIELDS.NOT';
  if (isFields !== (m[3] !== undefined)) throw new ImapError('BAD', 'HEADER.FIELDS needs a list of field names');
  if (part === 'MIME' && path.length === 0) throw new ImapError('BAD', 'MIME needs a part number');
  const fields = isFields ? m[3]!.split(' ').filter(Boolean).map((f) => f.replace(/^"|"$/g, '').toUpperCase()) : [];
  if (isFields && fields.length === 0) throw new ImapError('BAD', 'HEADER.FIELDS needs at least one field name');
  return { path, part, fields };
}

function sectionLabel(sec: Section): string {
  const p = sec.path.join('.');
  const fields = sec.fields.length ? ` (${sec.fields.join(' ')})` : '';
  return `${p}${p && sec.part ? '.' : ''}${sec.part}${fields}`;
}

function parseItem(raw: string): FetchItem[] {
  const up = raw.toUpperCase();
  if (MACROS[up]) return MACROS[up]!.map((k) => ({ k }) as FetchItem);
  if (SIMPLE.has(up)) return [{ k: up } as FetchItem];
  if (up === 'RFC822') return [{ k: 'section', isPeek: false, section: { path: [], part: '', fields: [] }, label: 'RFC822' }];
  if (up === 'RFC822.HEADER') return [{ k: 'section', isPeek: true, section: { path: [], part: 'HEADER', fields: [] }, label: 'RFC822.HEADER' }];
  if (up === 'RFC822.TEXT') return [{ k: 'section', isPeek: false, section: { path: [], part: 'TEXT', fields: [] }, label: 'RFC822.TEXT' }];
  const b = BINARY_RE.exec(raw);
  if (b) return [binaryItem(b)];
  const m = SECTION_RE.exec(raw);
  if (!m) throw new ImapError('BAD', `Unknown FETCH item '${raw.slice(0, 40)}'`);
  const section = parseSection(m[2]!);
  const item: FetchItem = { k: 'section', isPeek: m[1]!.toUpperCase() === 'BODY.PEEK', section, label: `BODY[${sectionLabel(section)}]` };
  withPartial(item, m[3], m[4]);
  return [item];
}

/** <start.length>: the label names the start only (RFC 3501 §7.4.2). */
function withPartial(item: { partial?: Partial; label: string }, start: string | undefined, length: string | undefined): void {
  if (start === undefined) return;
  const n = length === undefined ? Number.MAX_SAFE_INTEGER : Number(length);
  if (length !== undefined && n === 0) throw new ImapError('BAD', 'A partial fetch needs a non-zero length');
  item.partial = { start: Number(start), length: n };
  item.label += `<${start}>`;
}

/** BINARY[part]<partial>, BINARY.PEEK[…], BINARY.SIZE[part]: a part number only, no HEADER/TEXT. */
function binaryItem(m: RegExpExecArray): FetchItem {
  const spec = m[2]!;
  if (!PART_RE.test(spec)) throw new ImapError('BAD', `Invalid binary section '${spec.slice(0, 40)}'`);
  const path = spec ? spec.split('.').map(Number) : [];
  const verb = m[1]!.toUpperCase();
  if (verb === 'BINARY.SIZE') {
    if (m[3] !== undefined) throw new ImapError('BAD', 'BINARY.SIZE takes no partial');
    return { k: 'binary-size', path, label: `BINARY.SIZE[${spec}]` };
  }
  const item: FetchItem = { k: 'binary', isPeek: verb === 'BINARY.PEEK', path, label: `BINARY[${spec}]` };
  withPartial(item, m[3], m[4]);
  return item;
}

/** The item argument of FETCH: a macro, one item, or a parenthesised list. */
export function parseFetchItems(arg: Value | undefined): FetchItem[] {
  if (!arg) throw new ImapError('BAD', 'FETCH needs data items');
  const atoms = arg.t === 'list' ? arg.v : [arg];
  if (atoms.length === 0) throw new ImapError('BAD', 'FETCH needs data items');
  const items: FetchItem[] = [];
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    if (a.t !== 'atom') throw new ImapError('BAD', 'Invalid FETCH item');
    // PREVIEW (LAZY) (RFC 8970 §3): a preview is always at hand here, so LAZY changes nothing
    const mods = atoms[i + 1];
    if (a.v.toUpperCase() === 'PREVIEW' && mods?.t === 'list') {
      if (mods.v.some((m) => m.t !== 'atom' || m.v.toUpperCase() !== 'LAZY')) throw new ImapError('BAD', 'Unknown PREVIEW modifier');
      i += 1;
    }
    if (arg.t === 'list' && MACROS[a.v.toUpperCase()]) throw new ImapError('BAD', `${a.v} cannot be used inside a list`);
    items.push(...parseItem(a.v));
  }
  return items;
}

/** FETCH modifiers (RFC 7162 §3.1.4, §3.2.6): (CHANGEDSINCE n [VANISHED]). */
export function parseFetchModifiers(arg: Value | undefined): { changedSince?: number; isVanished?: boolean } {
  if (!arg) return {};
  if (arg.t !== 'list') throw new ImapError('BAD', 'FETCH modifiers must be a parenthesised list');
  const out: { changedSince?: number; isVanished?: boolean } = {};
  for (let i = 0; i < arg.v.length; i++) {
    const name = arg.v[i];
    const word = name?.t === 'atom' ? name.v.toUpperCase() : '';
    if (word === 'VANISHED') {
      out.isVanished = true;
      continue;
    }
    const value = arg.v[++i];
    if (word !== 'CHANGEDSINCE') throw new ImapError('BAD', 'Unknown FETCH modifier');
    if (value?.t !== 'atom' || !/^\d{1,19}$/.test(value.v)) throw new ImapError('BAD', 'CHANGEDSINCE needs a mod-sequence');
    out.changedSince = Number(value.v);
  }
  if (out.isVanished && out.changedSince === undefined) throw new ImapError('BAD', 'VANISHED needs CHANGEDSINCE');
  return out;
}
