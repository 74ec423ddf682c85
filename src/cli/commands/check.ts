// keepd check [--repair]: verify the store's invariants; exit 0 clean, 1 problems found.
import { systemActor } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag } from './args.ts';
import type { CliRunner } from './types.ts';

export const check: CliRunner = {
  async run({ config, args, log }) {
    const repair = takeFlag(args, '--repair');
    const json = takeFlag(args, '--json');
    positionals(args, 0, 'no arguments');
    return withCore(config, log, async (core) => {
      const report = repair ? await core.check.repair(systemActor(cliOrigin())) : core.check.run();
      if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        const c = report.counts;
        process.stdout.write(`checked ${c.users} users, ${c.rooms} rooms, ${c.messages} messages, ${c.placements} placements, ${c.visits} visits, ${c.queue} queue entries\n`);
        for (const p of report.problems) process.stdout.write(`${repair && p.isFixable ? 'fixed' : 'problem'}: ${p.kind}: ${p.detail}\n`);
        process.stdout.write(report.problems.length ? `${report.problems.length} problem(s)\n` : 'store is consistent\n');
      }
      const unfixed = repair ? report.problems.filter((p) => !p.isFixable).length : report.problems.length;
      return unfixed ? 1 : 0;
    });
  },
};
