// keepd restore room|message: bring back what was deleted, within the soft-delete window
// (KEEP_SOFT_DELETE_DAYS). Audited as the command line.
import { systemActor } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

function number(arg: string | undefined, what: string): number {
  const n = Number(arg);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive number`);
  return n;
}

export const restoreRoom: CliRunner = {
  async run({ config, args, log }) {
    const [arg] = positionals(args, 1, 'ROOMNUM');
    return withCore(config, log, async (core) => {
      const room = await core.rooms.restore(systemActor(cliOrigin()), number(arg, 'ROOMNUM'));
      process.stdout.write(`restored room ${room.name} (#${room.roomnum})\n`);
      return 0;
    });
  },
};

export const restoreMessage: CliRunner = {
  async run({ config, args, log }) {
    const [arg] = positionals(args, 1, 'MSGNUM');
    return withCore(config, log, async (core) => {
      const rooms = await core.housekeeping.restoreMessage(systemActor(cliOrigin()), number(arg, 'MSGNUM'));
      process.stdout.write(`restored message ${arg} into ${rooms.length} room(s)\n`);
      return 0;
    });
  },
};
