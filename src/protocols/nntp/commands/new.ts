// NEWGROUPS and NEWNEWS (RFC 3977 §7.3, §7.4): what appeared since a date and time.
import { CODE } from '../codes.ts';
import { compileWildmat, parseDateTime } from '../parser.ts';
import type { Session } from '../session.ts';
import { activeLine } from './list.ts';
import type { CommandResult, CommandTable } from './types.ts';

function newGroups(s: Session, args: string[]): CommandResult {
  const since = parseDateTime(args[0], args[1], args[2]);
  const data = s.groups().filter((g) => g.room.created >= since).map((g) => activeLine(s, g));
  return { code: CODE.NEWGROUPS_FOLLOW, text: 'List of new newsgroups follows', data };
}

/** Message-ids of articles placed (arrived) in matching groups since the date, each once. */
function newNews(s: Session, args: string[]): CommandResult {
  const match = compileWildmat(args[0] ?? '');
  const since = parseDateTime(args[1], args[2], args[3]);
  const actor = s.readerOf().actor;
  const ids = new Set<string>();
  for (const g of s.groups().filter((x) => match(x.name))) {
    for (const n of g.numbers()) {
      const arrived = s.core.messages.placement(actor, g.room.roomnum, n)?.arrived ?? 0;
      if (arrived >= since) ids.add(s.core.messages.get(actor, n, g.room.roomnum).messageId);
    }
  }
  return { code: CODE.NEWNEWS_FOLLOWS, text: 'List of new articles follows', data: [...ids] };
}

export const newCommands: CommandTable = {
  NEWGROUPS: { needs: 'reader', summary: 'yyyymmdd hhmmss [GMT]  groups created since then', run: (s, c) => newGroups(s, c.args) },
  NEWNEWS: { needs: 'reader', summary: 'wildmat yyyymmdd hhmmss [GMT]  message-ids of articles since then', run: (s, c) => newNews(s, c.args) },
};
