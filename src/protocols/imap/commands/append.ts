// APPEND (RFC 3501 §6.3.11, RFC 4315 APPENDUID): the message is stored through core and the
// tagged OK is sent only after core's durable commit (and the flags' commit) resolved. Into a
// room others read, core refuses a From that is not the user's (NO [NOPERM]).
import { command, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asString, parseDateTime, type Value } from '../parser.ts';
import { resolveFolder } from '../folders.ts';
import { parseFlags, type Flag } from './flags.ts';
import { applyFlags } from './store.ts';

export const appendCommands: CommandTable = {
  APPEND: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const [mbox, ...rest] = cmd.args;
      const name = s.nameFromWire(asString(mbox, 'a mailbox name'));
      let flags: Flag[] = [];
      let time: number | undefined;
      if (rest[0]?.t === 'list') flags = parseFlags((rest.shift() as { v: Value[] }).v);
      if (rest.length === 2) time = parseDateTime(asString(rest.shift(), 'a date-time'));
      const msg = rest[0];
      if (rest.length !== 1 || !msg || msg.t !== 'string') throw new ImapError('BAD', 'APPEND needs a message literal');
      if (msg.bytes.length === 0) throw new ImapError('BAD', 'An empty message cannot be appended');
      let folder;
      try {
        folder = resolveFolder(s.core, s.actor, name);
      } catch (err) {
        throw new ImapError('NO', (err as Error).message, 'TRYCREATE');
      }
      const stored = await s.core.messages.append(s.actor, { raw: msg.bytes, roomnum: folder.room.roomnum, ...(time !== undefined ? { time } : {}) });
      // a client saving what it just sent: its copy replaces the one the server saved (issue 20)
      await s.core.delivery.sentCopies.replaceServerCopy(s.actor, folder.room.roomnum, stored);
      if (flags.length) {
        await applyFlags(s, folder.room.roomnum, [stored.msgnum], flags, 'add', () => ({ system: [], keywords: [] }));
      }
      const uid = s.core.messages.placement(s.actor, folder.room.roomnum, stored.msgnum)?.uid ?? stored.msgnum;
      return ok('APPEND completed', `APPENDUID ${folder.room.generation} ${uid}`);
    },
  }),
};
