// keepd audit [--since] [--user] [--json]: read the audit trail.
import { systemActor } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

export const audit: CliRunner = {
  async run({ config, args, log }) {
    const sinceArg = takeOption(args, '--since');
    const user = takeOption(args, '--user');
    const json = takeFlag(args, '--json');
    positionals(args, 0, 'no arguments');
    const since = sinceArg === undefined ? undefined : /^\d+$/.test(sinceArg) ? Number(sinceArg) : Date.parse(sinceArg);
    if (since !== undefined && Number.isNaN(since)) throw new UsageError(`--since: cannot read '${sinceArg}' as a date`);
    return withCore(config, log, async (core) => {
      const entries = core.audit.list(systemActor(cliOrigin()), { ...(since !== undefined ? { since } : {}), ...(user ? { user } : {}) });
      if (json) process.stdout.write(`${JSON.stringify(entries)}\n`);
      else for (const e of entries) process.stdout.write(`${new Date(e.time).toISOString()}  ${e.actor.padEnd(16)} ${e.action.padEnd(18)} ${(e.target ?? '').padEnd(20)} from ${e.origin}${e.details ? ` ${JSON.stringify(e.details)}` : ''}\n`);
      return 0;
    });
  },
};
