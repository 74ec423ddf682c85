// LIST's arguments (RFC 5258 §6 grammar): [(selection options)] reference (pattern | (patterns))
// [RETURN (return options)], with LIST-STATUS's STATUS (items) return option (RFC 5819). Pure.
import { ImapError } from '../errors.ts';
import { decodeMailboxName, type Value } from '../parser.ts';
import { parseStatusItems } from './status.ts';

export interface ListRequest {
  reference: string;
  patterns: string[];
  /** selection or return options, or several patterns: answers follow RFC 5258 */
  isExtended: boolean;
  select: { subscribed: boolean; remote: boolean; recursive: boolean; specialUse: boolean };
  ret: { subscribed: boolean; children: boolean; specialUse: boolean; status?: string[] };
}

const word = (v: Value | undefined): string => (v?.t === 'atom' ? v.v.toUpperCase() : '');

function name(v: Value | undefined, what: string, decode: (wire: string) => string): string {
  if (!v || v.t === 'list') throw new ImapError('BAD', `LIST needs ${what}`);
  return decode(v.v);
}

function selection(opts: Value[]): ListRequest['select'] {
  const sel = { subscribed: false, remote: false, recursive: false, specialUse: false };
  for (const o of opts) {
    switch (word(o)) {
      case 'SUBSCRIBED': sel.subscribed = true; break;
      case 'REMOTE': sel.remote = true; break;
      case 'RECURSIVEMATCH': sel.recursive = true; break;
      case 'SPECIAL-USE': sel.specialUse = true; break;
      default: throw new ImapError('BAD', 'Unknown LIST selection option');
    }
  }
  // RFC 5258 §3.1: RECURSIVEMATCH modifies another option; alone (or with REMOTE only) it is an error
  if (sel.recursive && !sel.subscribed && !sel.specialUse) throw new ImapError('BAD', 'RECURSIVEMATCH needs another selection option');
  return sel;
}

function returning(opts: Value[]): ListRequest['ret'] {
  const ret: ListRequest['ret'] = { subscribed: false, children: false, specialUse: false };
  for (let i = 0; i < opts.length; i++) {
    switch (word(opts[i])) {
      case 'SUBSCRIBED': ret.subscribed = true; break;
      case 'CHILDREN': ret.children = true; break;
      case 'SPECIAL-USE': ret.specialUse = true; break;
      case 'STATUS': {
        const items = opts[++i];
        if (items?.t !== 'list') throw new ImapError('BAD', 'STATUS needs a list of status items');
        ret.status = parseStatusItems(items.v);
        break;
      }
      default: throw new ImapError('BAD', 'Unknown LIST return option');
    }
  }
  return ret;
}

/** LIST or LSUB arguments; BAD on an unknown option. `decode` turns a wire name into Unicode. */
export function parseListArgs(args: Value[], decode: (wire: string) => string = decodeMailboxName): ListRequest {
  let i = 0;
  const selectOpts = args[0]?.t === 'list' ? args[i++]!.v as Value[] : undefined;
  const reference = name(args[i++], 'a reference name', decode);
  const pat = args[i++];
  const patterns = pat?.t === 'list' ? pat.v.map((p) => name(p, 'a mailbox pattern', decode)) : [name(pat, 'a mailbox pattern', decode)];
  if (patterns.length === 0) throw new ImapError('BAD', 'LIST needs a mailbox pattern');
  let retOpts: Value[] | undefined;
  if (i < args.length) {
    const opts = args[i + 1];
    if (word(args[i]) !== 'RETURN' || opts?.t !== 'list' || i + 2 !== args.length) throw new ImapError('BAD', 'Unexpected LIST arguments');
    retOpts = opts.v;
  }
  return {
    reference, patterns,
    isExtended: selectOpts !== undefined || retOpts !== undefined || pat?.t === 'list',
    select: selection(selectOpts ?? []),
    ret: returning(retOpts ?? []),
  };
}
