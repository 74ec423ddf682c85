// keepd list subscribers|subscribe|unsubscribe: the Internet subscribers of a room's list
// address (issue 20); changes are audited as the CLI.
import { systemActor } from '../../core/index.ts';
import type { Core } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

function roomnumOf(core: Core, name: string): number {
  const room = core.rooms.findByName(systemActor(cliOrigin()), name);
  if (!room) throw new UsageError(`no room named '${name}'`);
  if (!room.listAddress) throw new UsageError(`room '${room.name}' has no list address (keepd room add … --list-address)`);
  return room.roomnum;
}

export const listSubscribers: CliRunner = {
  async run({ config, args, log }) {
    const json = takeFlag(args, '--json');
    const [name] = positionals(args, 1, 'ROOM');
    return withCore(config, log, async (core) => {
      const subs = core.delivery.lists.subscribers(systemActor(cliOrigin()), roomnumOf(core, name!));
      process.stdout.write(json ? `${JSON.stringify(subs)}\n` : subs.map((s) => `${s}\n`).join(''));
      return 0;
    });
  },
};

export const listSubscribe: CliRunner = {
  async run({ config, args, log }) {
    const [name, address] = positionals(args, 2, 'ROOM ADDRESS');
    return withCore(config, log, async (core) => {
      await core.delivery.lists.subscribe(systemActor(cliOrigin()), roomnumOf(core, name!), address!);
      process.stdout.write(`${address} subscribed to ${name}\n`);
      return 0;
    });
  },
};

export const listUnsubscribe: CliRunner = {
  async run({ config, args, log }) {
    const [name, address] = positionals(args, 2, 'ROOM ADDRESS');
    return withCore(config, log, async (core) => {
      const isRemoved = await core.delivery.lists.unsubscribe(systemActor(cliOrigin()), roomnumOf(core, name!), address!);
      if (!isRemoved) {
        process.stderr.write(`${address} is not subscribed to ${name}\n`);
        return 1;
      }
      process.stdout.write(`${address} unsubscribed from ${name}\n`);
      return 0;
    });
  },
};
