// NEXT and LAST (RFC 3977 §6.1.3, §6.1.4): move the current article pointer within the group.
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { Session } from '../session.ts';
import { current } from './lookup.ts';
import type { CommandResult, CommandTable } from './types.ts';

function move(s: Session, direction: 1 | -1): CommandResult {
  const here = current(s);
  const nums = s.requireSelected().group.numbers();
  const next = direction === 1 ? nums.find((n) => n > here.number) : [...nums].reverse().find((n) => n < here.number);
  if (next === undefined) {
    throw direction === 1 ? new NntpError(CODE.NO_NEXT_ARTICLE, 'No next article in this group') : new NntpError(CODE.NO_PREVIOUS_ARTICLE, 'No previous article in this group');
  }
  const message = s.core.messages.get(s.readerOf().actor, next, s.selected!.group.room.roomnum);
  s.selected!.pointer = next;
  return { code: CODE.ARTICLE_EXISTS, text: `${next} ${message.messageId}` };
}

export const navigateCommands: CommandTable = {
  NEXT: { needs: 'reader', summary: 'move to the next article in the group', run: (s) => move(s, 1) },
  LAST: { needs: 'reader', summary: 'move to the previous article in the group', run: (s) => move(s, -1) },
};
