// EXPUNGE and UID EXPUNGE (RFC 3501 §6.4.3, RFC 4315 §2.1): remove the room's placements of
// messages flagged \Deleted; the untagged EXPUNGE lines come from core's 'removed' events.
import { command, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, parseSeqSet } from '../parser.ts';
import { expungeDeleted } from './select.ts';

export const expungeCommands: CommandTable = {
  EXPUNGE: command({
    needs: 'selected',
    async run(s) {
      if (s.box.isReadOnly) throw new ImapError('NO', 'The mailbox is read-only', 'READ-ONLY');
      await expungeDeleted(s);
      return ok('EXPUNGE completed');
    },
  }),
  'UID EXPUNGE': command({
    needs: 'selected',
    async run(s, cmd) {
      if (s.box.isReadOnly) throw new ImapError('NO', 'The mailbox is read-only', 'READ-ONLY');
      const only = new Set(s.box.resolve(parseSeqSet(asAtom(cmd.args[0], 'a UID set')), true));
      await expungeDeleted(s, only);
      return ok('UID EXPUNGE completed');
    },
  }),
};
