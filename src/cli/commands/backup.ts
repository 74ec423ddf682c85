// keepd backup DEST: a consistent online snapshot (works while the server runs).
import { systemActor } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals } from './args.ts';
import type { CliRunner } from './types.ts';

export const backup: CliRunner = {
  async run({ config, args, log }) {
    const [dest] = positionals(args, 1, 'DEST');
    return withCore(config, log, async (core) => {
      process.stderr.write(`backup: writing a snapshot to ${dest} …\n`);
      const r = await core.backup.snapshot(systemActor(cliOrigin()), dest!);
      process.stdout.write(`backup written to ${r.path}: ${(r.bytes / 2 ** 20).toFixed(1)} MiB in ${r.ms} ms\n`);
      log.info({ path: r.path, bytes: r.bytes, ms: r.ms }, 'backup written');
      return 0;
    });
  },
};
