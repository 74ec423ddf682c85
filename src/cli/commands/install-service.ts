// keepd install-service: a systemd unit for this installation, the KEEP_RUN_AS user, the data
// directory (owned by that user, 0700) and a settings file; --dry-run prints the unit only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SETTINGS } from '../../config/index.ts';
import { ensureUser, isRoot } from '../../supervisor/privileges.ts';
import { projectRoot } from '../project-root.ts';
import { renderUnit, type UnitOptions } from '../service/unit.ts';
import { ensurePrivateDir, environmentFile, writeRootFile } from '../service/install.ts';
import { positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

/** The schema's relative defaults mean "here" in a checkout; a service gets the FHS places. */
function serviceDir(value: string, schemaDefault: unknown, fhs: string): string {
  return value === schemaDefault ? fhs : resolve(value);
}

export const installService: CliRunner = {
  async run({ config, args }) {
    const dryRun = takeFlag(args, '--dry-run');
    const unitPath = takeOption(args, '--unit') ?? '/etc/systemd/system/keep.service';
    const envFile = takeOption(args, '--settings-file') ?? '/etc/keep/keep.env'; // not --env-file: node 20 takes that flag from anywhere on its command line
    positionals(args, 0, 'no arguments');
    const opts: UnitOptions = {
      node: process.execPath,
      root: projectRoot(),
      dataDir: serviceDir(config.dataDir, SETTINGS.dataDir.default, '/var/lib/keep'),
      backupDir: serviceDir(config.backupDir, SETTINGS.backupDir.default, '/var/backups/keep'),
      runAs: config.runAs,
      envFile,
    };
    const unit = renderUnit(opts);
    if (opts.root === '/root' || opts.root.startsWith('/root/')) {
      process.stderr.write(`keepd install-service: warning: ${opts.root} is under /root, which ${opts.runAs} cannot read once keepd drops to it; install Keep under /opt\n`);
    }
    if (dryRun) {
      process.stdout.write(unit);
      return 0;
    }
    if (!isRoot()) throw new UsageError('installing a service needs root (sudo keepd install-service); --dry-run prints the unit');
    // the service cannot build (ProtectSystem=strict): make sure dist/ is current now
    const build = spawnSync(process.execPath, [resolve(opts.root, 'bin/build.js'), '--if-stale'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('building dist/ failed; see above');
    const user = ensureUser(opts.runAs, opts.dataDir);
    ensurePrivateDir(opts.dataDir, user);
    ensurePrivateDir(opts.backupDir, user);
    const fixed = ['KEEP_DATA_DIR', 'KEEP_BACKUP_DIR', 'KEEP_RUN_AS'];
    const wroteEnv = !existsSync(envFile);
    // secrets may go in here (KEEP_ADMIN_PASSWORD): root only; never overwrite the admin's edits
    if (wroteEnv) writeRootFile(envFile, environmentFile(process.env, fixed), 0o600);
    writeRootFile(unitPath, unit, 0o644);
    process.stdout.write([
      `${user.isNew ? 'created' : 'using'} user ${opts.runAs} (uid ${user.uid}); data in ${opts.dataDir} (0700), backups in ${opts.backupDir}`,
      `${wroteEnv ? 'wrote' : 'kept'} settings in ${envFile}${wroteEnv ? ' (the KEEP_* variables of this shell)' : ''}`,
      `wrote ${unitPath}`,
      '',
      'enable and start it:',
      '  systemctl daemon-reload && systemctl enable --now keep',
      'then:',
      '  journalctl -u keep -f                 # its log',
      `  set -a; . ${envFile}; set +a; KEEP_DATA_DIR=${opts.dataDir} ${opts.root}/bin/keepd.js doctor`,
      '',
    ].join('\n'));
    return 0;
  },
};
