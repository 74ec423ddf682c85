// keepd room add|list: room administration on the store (audited as the CLI).
import { systemActor, type RoomKind } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

const KINDS: RoomKind[] = ['public', 'hidden', 'private-invite', 'private-password'];

export const roomAdd: CliRunner = {
  async run({ config, args, log }) {
    const kind = (takeOption(args, '--kind') ?? 'public') as RoomKind;
    if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
    const password = takeOption(args, '--password');
    const floor = Number(takeOption(args, '--floor') ?? 0);
    const isReadOnly = takeFlag(args, '--read-only');
    const listAddress = takeOption(args, '--list-address');
    const [name] = positionals(args, 1, 'NAME');
    return withCore(config, log, async (core) => {
      const actor = systemActor(cliOrigin());
      let room = await core.rooms.create(actor, { name: name!, kind, floor, isReadOnly, ...(password ? { password } : {}) });
      if (listAddress) room = await core.rooms.update(actor, room.roomnum, { listAddress });
      process.stdout.write(`created room ${room.name} (#${room.roomnum}, ${room.kind}, floor ${room.floor})\n`);
      return 0;
    });
  },
};

export const roomList: CliRunner = {
  async run({ config, args, log }) {
    const json = takeFlag(args, '--json');
    const isDeleted = takeFlag(args, '--deleted');
    positionals(args, 0, 'no arguments');
    return withCore(config, log, async (core) => {
      if (isDeleted) {
        const rows = core.housekeeping.deletedRooms(systemActor(cliOrigin()));
        if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
        else for (const r of rows) process.stdout.write(`${String(r.roomnum).padStart(5)}  ${r.name.padEnd(30)} deleted ${new Date(r.deletedAt).toISOString()}, purged after ${new Date(r.purgeAt).toISOString()}\n`);
        return 0;
      }
      const list = core.rooms.list(systemActor(cliOrigin()), 'all');
      const rows = list.map((l) => ({ roomnum: l.room.roomnum, name: l.room.name, kind: l.room.kind, floor: l.room.floor, messages: l.total }));
      if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else for (const r of rows) process.stdout.write(`${String(r.roomnum).padStart(5)}  ${r.name.padEnd(30)} ${r.kind.padEnd(17)} floor ${r.floor}  ${r.messages} messages\n`);
      return 0;
    });
  },
};
