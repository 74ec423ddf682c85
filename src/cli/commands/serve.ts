// keepd serve: the supervisor (binds, watches) or, with KEEP_ROLE=worker, the worker itself.
import { Supervisor, EXIT_FATAL } from '../../supervisor/supervisor.ts';
import { dropPrivileges, isRoot } from '../../supervisor/privileges.ts';
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
      await supervisor.bind();
    } catch (err) {
      // a port in use or not permitted: one line naming it, no stack (nothing was started)
      process.stderr.write(`keepd: ${(err as Error).message}\n`);
      return 1;
    }
    if (isRoot()) {
      try {
        const dirs = [config.dataDir, ...(config.backupInterval > 0 ? [config.backupDir] : [])];
        dropPrivileges({ runAs: config.runAs, dirs, log });
      } catch (err) {
        process.stderr.write(`keepd: ${(err as Error).message}\n`);
        return 1;
      }
    }
    return supervisor.run();
  },
};
