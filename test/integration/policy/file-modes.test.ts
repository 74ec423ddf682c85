// Files keepd writes are for its own user alone: the store (data.mdb, lock.mdb), the TLS key,
// snapshots, exports and imported stores are 0600, their directories 0700, whatever the umask of
// the shell that started it; keepd check warns about anything others may read and --repair fixes it.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeepd, startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep;
const scratch = mkdtempSync(join(tmpdir(), 'keep-modes-'));
beforeAll(async () => {
  process.umask(0o022); // the usual shell umask: what keepd must not rely on
  keep = await startKeep({ dataDir: join(scratch, 'data') });
}, 300_000);
afterAll(async () => {
  await keep?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const modeOf = (p: string) => statSync(p).mode & 0o777;

/** Every file and directory under a root with its mode, for one readable assertion. */
function modesUnder(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string, rel: string) => {
    out[rel || '.'] = `0${modeOf(p).toString(8)}`;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n), rel ? `${rel}/${n}` : n);
  };
  walk(root, '');
  return out;
}
const ownerOnly = (modes: Record<string, string>) => Object.entries(modes).filter(([, m]) => m !== '0600' && m !== '0700');

describe('file modes', () => {
  it('creates the data directory, the store and the TLS key owner-only at start', () => {
    const modes = modesUnder(keep.dataDir);
    expect(modes['keep.mdb/data.mdb']).toBe('0600');
    expect(modes['keep.mdb/lock.mdb']).toBe('0600');
    expect(modes['tls/self-signed.key']).toBe('0600');
    expect(modes['.']).toBe('0700');
    expect(ownerOnly(modes)).toEqual([]);
  });

  it('writes backups, exports and imported stores owner-only', async () => {
    const backup = join(scratch, 'backup');
    expect((await keep.cli(['backup', backup])).code).toBe(0);
    expect(ownerOnly(modesUnder(backup))).toEqual([]);
    expect(modeOf(join(backup, 'keep.mdb', 'data.mdb'))).toBe(0o600);

    const file = join(scratch, 'store.jsonl');
    expect((await keep.cli(['export', '--out', file])).code).toBe(0);
    expect(modeOf(file)).toBe(0o600);

    const imported = join(scratch, 'imported');
    const r = await runKeepd(['import', file], { KEEP_DATA_DIR: imported, KEEP_DOMAIN: 'keep.test' });
    expect(r.code).toBe(0);
    expect(ownerOnly(modesUnder(imported))).toEqual([]);
  }, 180_000);

  it('has keepd check warn about files others may read, and --repair make them owner-only', async () => {
    const key = join(keep.dataDir, 'tls', 'self-signed.key');
    chmodSync(key, 0o644);
    const warned = await keep.cli(['check']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(`warning: file-mode: ${key} is open to others (0644)`);
    expect(warned.stdout).toContain('store is consistent');
    const fixed = await keep.cli(['check', '--repair']);
    expect(fixed.stdout).toContain(`fixed: file-mode: ${key}`);
    expect(modeOf(key)).toBe(0o600);
    expect((await keep.cli(['check'])).stdout).not.toContain('file-mode');
  }, 180_000);

  it('has keepd check look only at its own snapshots in a backup directory shared with other things', async () => {
    const shared = join(scratch, 'var-backups');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    const foreign = join(shared, 'etc.tar');
    writeFileSync(foreign, 'not keep\'s');
    chmodSync(foreign, 0o644);
    const snap = join(shared, `keep-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    expect((await keep.cli(['backup', snap])).code).toBe(0);
    const data = join(snap, 'keep.mdb', 'data.mdb');
    chmodSync(data, 0o644);
    const env = { KEEP_DATA_DIR: keep.dataDir, KEEP_DOMAIN: 'keep.test', KEEP_BACKUP_DIR: shared };
    const warned = await runKeepd(['check'], env);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(`warning: file-mode: ${data} is open to others (0644)`);
    expect(warned.stdout).not.toContain(foreign);
    expect(warned.stdout).not.toContain(`${shared} is open`);
    const fixed = await runKeepd(['check', '--repair'], env);
    expect(fixed.stdout).toContain(`fixed: file-mode: ${data}`);
    expect(modeOf(data)).toBe(0o600);
    expect(modeOf(foreign)).toBe(0o644);
    expect(modeOf(shared)).toBe(0o755);
  }, 180_000);
});
