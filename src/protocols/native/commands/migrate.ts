// MIGR export (protocol/admin.md §MIGR): an aide streams the whole store as a listing of export
// lines (protocol/export.md), the way Citadel's migration tools take a server's content out.
// Core checks the access and audits the export.
import { ERR } from '../codes.ts';
import { fail, stream } from '../reply.ts';
import type { CommandTable } from './types.ts';

function* withoutNewlines(lines: Iterable<string>): Generator<string> {
  for (const l of lines) yield l.endsWith('\n') ? l.slice(0, -1) : l;
}

export const migrateCommands: CommandTable = {
  MIGR: {
    needs: 'room',
    summary: 'Export the whole store as a listing of export lines (aides): MIGR export (§MIGR)',
    async run({ actor, s }, c) {
      if (c.rest.trim().toLowerCase() !== 'export') fail(ERR.ILLEGAL_VALUE, 'Usage: MIGR export');
      const lines = await s.core.backup.export(actor);
      return stream('Export follows (protocol/export.md)', withoutNewlines(lines));
    },
  },
};
