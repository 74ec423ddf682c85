// GROUP and LISTGROUP (RFC 3977 §6.1.1, §6.1.2): select a newsgroup, optionally list its numbers.
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { Group } from '../groups.ts';
import type { Session } from '../session.ts';
import { mapLazily, numbersInRange } from './lookup.ts';
import type { CommandResult, CommandTable } from './types.ts';

function select(s: Session, name: string): { group: Group; text: string } {
  const lower = name.toLowerCase();
  const group = s.groups().find((g) => g.name === lower);
  if (!group) throw new NntpError(CODE.NO_SUCH_GROUP, 'No such newsgroup');
  const { count, low, high } = group.span();
  s.selected = { group, pointer: low };
  // RFC 3977 §6.1.1.2: an empty group reports high = low - 1
  const text = low === undefined || high === undefined
    ? `0 ${group.room.highest + 1} ${group.room.highest} ${group.name}`
    : `${count} ${low} ${high} ${group.name}`;
  return { group, text };
}

function listGroup(s: Session, name: string | undefined, range: string | undefined): CommandResult {
  const chosen = name !== undefined ? select(s, name) : undefined;
  const sel = s.requireSelected();
  const text = chosen?.text ?? select(s, sel.group.name).text;
  const nums = range === undefined ? numbersInRange(s, '1-') : numbersInRange(s, range);
  return { code: CODE.GROUP_SELECTED, text: `${text} list follows`, data: mapLazily(nums, String) };
}

export const groupCommands: CommandTable = {
  GROUP: {
    needs: 'reader',
    summary: 'group  select a newsgroup',
    run: (s, c) => {
      if (c.args.length !== 1) throw new NntpError(CODE.SYNTAX_ERROR, 'Usage: GROUP newsgroup');
      return { code: CODE.GROUP_SELECTED, text: select(s, c.args[0]!).text };
    },
  },
  LISTGROUP: {
    needs: 'reader',
    summary: '[group [range]]  select a newsgroup and list its article numbers',
    run: (s, c) => {
      if (c.args.length > 2) throw new NntpError(CODE.SYNTAX_ERROR, 'Usage: LISTGROUP [newsgroup [range]]');
      return listGroup(s, c.args[0], c.args[1]);
    },
  },
};
