// SELECT, EXAMINE, CLOSE, UNSELECT (RFC 3501 §6.3.1–2, §6.4.2; RFC 3691). UIDVALIDITY is the
// room's generation and UIDs are message numbers; rooms the user may not post in are read-only.
import { ranges } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ok } from '../errors.ts';
import { asString, decodeMailboxName } from '../parser.ts';
import { resolveFolder } from '../folders.ts';

export const FLAGS = '(\\Answered \\Flagged \\Deleted \\Seen \\Draft)';

function opener(isExamine: boolean) {
  return command({
    needs: 'authenticated',
    async run(s, cmd) {
      s.select(undefined); // a failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1)
      const folder = resolveFolder(s.core, s.actor, decodeMailboxName(asString(cmd.args[0], 'a mailbox name')));
      const isReadOnly = isExamine || !folder.access.canPost;
      const params = cmd.args[1];
      if (params?.t === 'list' && params.v.some((p) => p.t === 'atom' && p.v.toUpperCase() === 'CONDSTORE')) s.enableCondstore();
      const box = s.openMailbox(folder.room, folder.name, isReadOnly);
      s.select(box);
      s.send(`* FLAGS ${FLAGS}\r\n`);
      s.send(`* OK [PERMANENTFLAGS ${isReadOnly ? '()' : '(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)'}] Flags permitted\r\n`);
      s.send(`* ${box.exists} EXISTS\r\n* 0 RECENT\r\n`);
      const firstUnseen = box.uids.findIndex((u) => !ranges.has(box.visit.seen, u));
      if (firstUnseen >= 0) s.send(`* OK [UNSEEN ${firstUnseen + 1}] First unseen\r\n`);
      s.send(`* OK [UIDVALIDITY ${folder.room.generation}] UIDs valid\r\n`);
      s.send(`* OK [UIDNEXT ${box.uidNext}] Predicted next UID\r\n`);
      s.send(`* OK [HIGHESTMODSEQ ${box.highestModseq()}] Highest\r\n`);
      return ok(`${isExamine ? 'EXAMINE' : 'SELECT'} completed`, isReadOnly ? 'READ-ONLY' : 'READ-WRITE');
    },
  });
}

/** Remove the \Deleted messages of the selected room (EXPUNGE, CLOSE); returns how many. */
export async function expungeDeleted(s: Selected, only?: Set<number>): Promise<number> {
  const box = s.box;
  const doomed = box.uids.filter((u) => box.flags(u).system.includes('deleted') && (!only || only.has(u)));
  if (doomed.length === 0) return 0;
  return s.core.messages.removeFromRoom(s.actor, box.room.roomnum, doomed);
}

export const selectCommands: CommandTable = {
  SELECT: opener(false),
  EXAMINE: opener(true),
  CLOSE: command({
    needs: 'selected',
    async run(s) {
      // CLOSE expunges silently: no untagged EXPUNGE (RFC 3501 §6.4.2)
      if (!s.box.isReadOnly) await expungeDeleted(s);
      s.select(undefined);
      return ok('CLOSE completed');
    },
  }),
  UNSELECT: command({
    needs: 'selected',
    async run(s) {
      s.select(undefined);
      return ok('UNSELECT completed');
    },
  }),
};
