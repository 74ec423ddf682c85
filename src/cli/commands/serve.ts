// keepd serve: the supervisor (binds, watches) or, with KEEP_ROLE=worker, the worker itself.
import { Supervisor, EXIT_FATAL } from '../../supervisor/supervisor.ts';
import { dropPrivileges, isRoot } from '../../supervisor/privileges.ts';
import { checkDataDirectory } from '../../store/data-dir.ts';
import type { CliRunner } from './types.ts';

export const serve: CliRunner = {
  async run({ config, log }) {
    if (process.env.KEEP_ROLE === 'worker') {
      // only the worker loads the server (store, core, translators); the supervisor stays small
      const { runWorker } = await import('../../server.ts');
      await runWorker(config, log.child({ role: 'worker' }), (message) => {
        process.stderr.write(`keepd: ${message}\n`);
        process.exit(EXIT_FATAL);
      });
      return 0;
    }
    const supervisor = new Supervisor({ config, log: log.child({ role: 'supervisor' }), workerScript: process.argv[1]!, workerArgs: process.argv.slice(2) });
    try {
      checkDataDirectory(config.dataDir, true); // before binding, and never hand a foreign directory to KEEP_RUN_AS
      await supervisor.bind();
    } catch (err) {
      // a foreign data directory, a port in use or not permitted: one line naming it, no stack
      process.stderr.write(`keepd: ${(err as Error).message}\n`);
      return 1;
    }
    if (isRoot()) {
      try {
        const dirs = [config.dataDir, ...(config.backupInterval > 0 ? [config.backupDir] : [])];
        dropPrivileges({ runAs: config.runAs, dirs, log });
      } catch (err) {
        supervisor.unbind();
        process.stderr.write(`keepd: ${(err as Error).message}\n`);
        return 1;
      }
    }
    return supervisor.run();
  },
};
