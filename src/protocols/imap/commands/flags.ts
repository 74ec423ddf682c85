// IMAP flags ↔ core flag names. \Seen is the shared seen set of the visit record; the other
// system flags and keywords are the user's own (RFC 3501 §2.3.2).
import type { FlagName } from '../../../core/index.ts';
import { ImapError } from '../errors.ts';
import type { Value } from '../parser.ts';

export type Flag = FlagName | { keyword: string };

const SYSTEM: Record<string, FlagName> = { '\\SEEN': 'seen', '\\ANSWERED': 'answered', '\\FLAGGED': 'flagged', '\\DELETED': 'deleted', '\\DRAFT': 'draft' };
export const SYSTEM_FLAGS: FlagName[] = ['seen', 'answered', 'flagged', 'deleted', 'draft'];

/** A flag list (parenthesised or bare atoms) → core flags; \Recent is ignored. */
export function parseFlags(values: Value[]): Flag[] {
  const out: Flag[] = [];
  for (const v of values) {
    if (v.t !== 'atom') throw new ImapError('BAD', 'Flags must be atoms');
    const f = v.v;
    if (f.startsWith('\\')) {
      const sys = SYSTEM[f.toUpperCase()];
      if (sys) out.push(sys);
      else if (f.toUpperCase() !== '\\RECENT') throw new ImapError('BAD', `Unknown system flag ${f.slice(0, 30)}`);
    } else if (/^[\x21-\x7e]{1,100}$/.test(f) && !/[(){%*"\\\]]/.test(f)) out.push({ keyword: f });
    else throw new ImapError('BAD', `Invalid keyword ${f.slice(0, 30)}`);
  }
  return out;
}

export const flagKey = (f: Flag): string => (typeof f === 'string' ? f : `kw:${f.keyword}`);
