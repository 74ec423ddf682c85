// NEWGROUPS and NEWNEWS (RFC 3977 §7.3, §7.4): what appeared since a date and time.
import { CODE } from '../codes.ts';
import { compileWildmat, parseDateTime } from '../parser.ts';
import { isCoreError, type Actor } from '../../../core/index.ts';
import type { Group } from '../groups.ts';
import type { Session } from '../session.ts';
import { activeLine } from './list.ts';
import type { CommandResult, CommandTable } from './types.ts';

function newGroups(s: Session, args: string[]): CommandResult {
  const since = parseDateTime(args[0], args[1], args[2]);
  const data = s.groups().filter((g) => g.room.created >= since).map((g) => activeLine(s, g));
  return { code: CODE.NEWGROUPS_FOLLOW, text: 'List of new newsgroups follows', data };
}

/**
 * Message-ids of articles placed (arrived) in matching groups since the date, each once. The
 * groups are walked as the answer is written, so a big store is read in slices (issue 16).
 */
function newNews(s: Session, args: string[]): CommandResult {
  const match = compileWildmat(args[0] ?? '');
  const since = parseDateTime(args[1], args[2], args[3]);
  const actor = s.readerOf().actor;
  return { code: CODE.NEWNEWS_FOLLOWS, text: 'List of new articles follows', data: idsSince(s, actor, s.groups().filter((x) => match(x.name)), since) };
}

/** undefined when the article was removed since the listing began (the status line is out by then) */
function messageIdOf(s: Session, actor: Actor, msgnum: number, roomnum: number): string | undefined {
  try {
    return s.core.messages.get(actor, msgnum, roomnum).messageId;
  } catch (err) {
    if (isCoreError(err) && err.kind === 'not-found') return undefined;
    throw err;
  }
}

/** Message-ids, each once; null between articles that do not qualify, so the writer may take a turn. */
function* idsSince(s: Session, actor: Actor, groups: Group[], since: number): Generator<string | null> {
  const ids = new Set<string>();
  for (const g of groups) {
    for (const n of g.walk()) {
      const arrived = s.core.messages.placement(actor, g.room.roomnum, n)?.arrived ?? 0;
      const id = arrived >= since ? messageIdOf(s, actor, n, g.room.roomnum) : undefined;
      if (id === undefined || ids.has(id)) {
        yield null;
        continue;
      }
      ids.add(id);
      yield id;
    }
  }
}

export const newCommands: CommandTable = {
  NEWGROUPS: { needs: 'reader', summary: 'yyyymmdd hhmmss [GMT]  groups created since then', run: (s, c) => newGroups(s, c.args) },
  NEWNEWS: { needs: 'reader', summary: 'wildmat yyyymmdd hhmmss [GMT]  message-ids of articles since then', run: (s, c) => newNews(s, c.args) },
};
