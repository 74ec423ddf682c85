// keepd doctor: what an admin would otherwise learn from angry users, one line per check.
import { overall, renderText, runDoctor } from '../doctor/index.ts';
import { positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

export const doctor: CliRunner = {
  async run({ config, args }) {
    const json = takeFlag(args, '--json');
    const timeout = Number(takeOption(args, '--timeout') ?? 5);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout takes seconds, more than 0');
    positionals(args, 0, 'no arguments');
    const results = await runDoctor(config, { timeoutMs: timeout * 1000 });
    const status = overall(results);
    process.stdout.write(json ? `${JSON.stringify({ status, checks: results }, null, 2)}\n` : renderText(results));
    return status === 'fail' ? 1 : 0;
  },
};
