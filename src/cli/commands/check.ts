// keepd check [--repair]: verify the store's invariants; exit 0 clean, 1 problems found.
import { findLooseModes, isSnapshotName, systemActor, tightenModes } from '../../core/index.ts';
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
      // files others may read are a warning (the store is still consistent); --repair tightens them.
      // KEEP_BACKUP_DIR may be shared (/var/backups): only the snapshots Keep wrote there are its own
      const loose = findLooseModes([config.dataDir, { path: config.backupDir, only: isSnapshotName }]);
      const stillLoose = repair ? tightenModes(loose) : loose;
      if (repair && loose.length) await core.audit.record(systemActor(cliOrigin()), 'store.file-modes', config.dataDir, { tightened: loose.length - stillLoose.length });
      const modes = loose.map((f) => ({ path: f.path, mode: `0${f.mode.toString(8)}`, fixed: repair && !stillLoose.includes(f) }));
      if (json) process.stdout.write(`${JSON.stringify({ ...report, fileModes: modes })}\n`);
      else {
        for (const m of modes) process.stdout.write(`${m.fixed ? 'fixed' : 'warning'}: file-mode: ${m.path} is open to others (${m.mode})${m.fixed ? '' : '; it should be owner-only (0600, directories 0700)'}\n`);
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
