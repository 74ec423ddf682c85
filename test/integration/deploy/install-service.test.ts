// keepd install-service: the unit it writes passes systemd-analyze verify; as root it creates the
// service user and a private data directory (issue 21).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKeepd } from '../../helpers/start-keep.ts';

const dir = mkdtempSync(join(tmpdir(), 'keep-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;
if (!hasSystemdAnalyze) console.warn('SKIPPED: systemd-analyze is not installed (apt-get install systemd); the unit is not verified');
if (!isRoot) console.warn('SKIPPED: not root; keepd install-service cannot create a user here');

describe('keepd install-service', () => {
  it('prints the unit with --dry-run: restart, file limit, sandbox and the data directory writable', async () => {
    const r = await runKeepd(['install-service', '--dry-run'], { KEEP_DATA_DIR: join(dir, 'data'), KEEP_RUN_AS: 'keepsvc' });
    expect(r.code).toBe(0);
    for (const line of ['Type=simple', 'Restart=always', 'LimitNOFILE=65536', 'ProtectSystem=strict', `ReadWritePaths=${join(dir, 'data')} -/var/backups/keep`, 'NoNewPrivileges=yes', 'UMask=0077', 'Environment=KEEP_RUN_AS=keepsvc', 'WantedBy=multi-user.target']) {
      expect(r.stdout.split('\n')).toContain(line);
    }
    expect(r.stdout).toMatch(/^ExecStart=\/\S+node\S* \/\S+\/bin\/keepd\.js serve$/m);
  });

  it.skipIf(!hasSystemdAnalyze)('writes a unit systemd-analyze verify accepts', async () => {
    const r = await runKeepd(['install-service', '--dry-run'], { KEEP_DATA_DIR: join(dir, 'data') });
    const unit = join(dir, 'keep.service');
    writeFileSync(unit, r.stdout);
    const v = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(`${v.stdout}${v.stderr}`).toBe('');
    expect(v.status).toBe(0);
  });

  it.skipIf(!isRoot)('creates the user, a 0700 data directory it owns, the settings file and the unit', async () => {
    const user = `keeps${process.pid % 100000}`;
    const env = { KEEP_DATA_DIR: join(dir, 'svc-data'), KEEP_BACKUP_DIR: join(dir, 'svc-backups'), KEEP_RUN_AS: user, KEEP_DOMAIN: 'example.test' };
    try {
      const r = await runKeepd(['install-service', '--unit', join(dir, 'unit', 'keep.service'), '--settings-file', join(dir, 'etc', 'keep.env')], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`created user ${user} \\(uid \\d+\\)`));
      expect(r.stdout).toContain('systemctl daemon-reload && systemctl enable --now keep');
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const data = statSync(join(dir, 'svc-data'));
      expect([data.uid, data.mode & 0o777]).toEqual([uid, 0o700]);
      expect(readFileSync(join(dir, 'etc', 'keep.env'), 'utf8')).toContain('KEEP_DOMAIN=example.test');
      expect(statSync(join(dir, 'etc', 'keep.env')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'unit', 'keep.service'), 'utf8')).toContain(`Environment=KEEP_RUN_AS=${user}`);
      // a second run keeps the user and the admin's settings file
      const again = await runKeepd(['install-service', '--unit', join(dir, 'unit', 'keep.service'), '--settings-file', join(dir, 'etc', 'keep.env')], env);
      expect(again.stdout).toMatch(new RegExp(`using user ${user}`));
      expect(again.stdout).toContain('kept settings');
    } finally {
      spawnSync('userdel', [user]);
    }
  });
});
