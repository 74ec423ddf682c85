// LIST and its keywords (RFC 3977 §7.6; RFC 6048 ACTIVE.TIMES, NEWSGROUPS): the groups a reader sees.
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { Group } from '../groups.ts';
import { compileWildmat } from '../parser.ts';
import { OVERVIEW_FORMAT } from '../render.ts';
import type { Session } from '../session.ts';
import type { CommandResult, CommandTable } from './types.ts';

/** "name high low status" (RFC 3977 §7.6.3); status y when this reader may post there. */
export function activeLine(s: Session, g: Group): string {
  const { low, high } = g.span();
  const canPost = s.login.state === 'authenticated' && g.access.canPost;
  return low === undefined || high === undefined
    ? `${g.name} ${g.room.highest} ${g.room.highest + 1} ${canPost ? 'y' : 'n'}`
    : `${g.name} ${high} ${low} ${canPost ? 'y' : 'n'}`;
}

const description = (g: Group) => (g.room.info.split(/\r?\n/)[0]?.trim() || g.room.name).replace(/\t/g, ' ');

function matching(s: Session, wildmat: string | undefined): Group[] {
  if (wildmat === undefined) return s.groups();
  const match = compileWildmat(wildmat);
  return s.groups().filter((g) => match(g.name));
}

type Lister = (s: Session, arg: string | undefined) => string[];

const LISTS: Record<string, { needsReader: boolean; list: Lister }> = {
  ACTIVE: { needsReader: true, list: (s, w) => matching(s, w).map((g) => activeLine(s, g)) },
  NEWSGROUPS: { needsReader: true, list: (s, w) => matching(s, w).map((g) => `${g.name}\t${description(g)}`) },
  'ACTIVE.TIMES': {
    needsReader: true,
    list: (s, w) => matching(s, w).map((g) => `${g.name} ${Math.floor(g.room.created / 1000)} ${s.config.nodeName}@${s.config.domain}`),
  },
  'OVERVIEW.FMT': { needsReader: false, list: () => [...OVERVIEW_FORMAT] },
  HEADERS: {
    needsReader: false,
    list: (_s, arg) => {
      if (arg !== undefined && !['MSGID', 'RANGE'].includes(arg.toUpperCase())) throw new NntpError(CODE.SYNTAX_ERROR, 'Usage: LIST HEADERS [MSGID|RANGE]');
      return [':', ':bytes', ':lines'];
    },
  },
};

function list(s: Session, args: string[]): CommandResult {
  const keyword = (args[0] ?? 'ACTIVE').toUpperCase();
  const entry = LISTS[keyword];
  if (!entry) throw new NntpError(CODE.SYNTAX_ERROR, `Unknown LIST keyword ${keyword.slice(0, 40)}`);
  if (args.length > 2) throw new NntpError(CODE.SYNTAX_ERROR, 'Usage: LIST [keyword [argument]]');
  if (entry.needsReader) s.readerOf();
  return { code: CODE.LIST_FOLLOWS, text: `${keyword.toLowerCase()} follows`, data: entry.list(s, args[1]) };
}

export const listCommands: CommandTable = {
  LIST: {
    needs: 'nothing',
    summary: '[ACTIVE|NEWSGROUPS|ACTIVE.TIMES [wildmat] | OVERVIEW.FMT | HEADERS]  list groups or server facts',
    run: (s, c) => list(s, c.args),
  },
};

