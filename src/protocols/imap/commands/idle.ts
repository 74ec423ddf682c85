// IDLE (RFC 2177): the session enters a continuation phase; changes in the selected room
// (core events placed/removed/flags) are pushed at once until the client sends DONE.
import { command, type CommandTable } from './types.ts';

export const idleCommands: CommandTable = {
  IDLE: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const box = s.box;
      if (box) for (const l of box.updates(true)) s.send(l);
      s.send('+ idling\r\n');
      s.awaitContinuation({ kind: 'idle', tag: cmd.tag });
      return 'pending';
    },
  }),
};
