// Handing the data directory to KEEP_RUN_AS happens as root, on a directory the unprivileged user
// has written to: a link it planted there must not make root give away a file outside.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, lstatSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRunAsUser, chownTree, handOver, isRoot } from '../../../src/supervisor/privileges.ts';
import { createLogger } from '../../../src/log/index.ts';

const NOBODY = { name: 'nobody', uid: 65534, gid: 65534, home: '/' };

describe.skipIf(!isRoot())('chownTree', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('gives the tree to the user but never follows a symbolic link out of it', () => {
    root = mkdtempSync(join(tmpdir(), 'keep-priv-'));
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, 'root only');
    const data = join(root, 'data');
    mkdirSync(join(data, 'sub'), { recursive: true });
    writeFileSync(join(data, 'sub', 'file'), 'x');
    symlinkSync(outside, join(data, 'planted'));
    symlinkSync(root, join(data, 'planted-dir'));

    chownTree(data, NOBODY);

    expect(statSync(join(data, 'sub', 'file')).uid).toBe(NOBODY.uid);
    expect(statSync(join(data, 'sub')).uid).toBe(NOBODY.uid);
    expect(lstatSync(join(data, 'planted')).uid).toBe(NOBODY.uid);
    expect(statSync(outside).uid).toBe(0);
    expect(statSync(root).uid).toBe(0);
  });
});

describe.skipIf(!isRoot())('handing the directories over', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const log = createLogger({ level: 'silent' });

  it('leaves a backup directory holding other files (a KEEP_BACKUP_DIR of /var/backups) as it is', () => {
    root = mkdtempSync(join(tmpdir(), 'keep-priv-'));
    const data = join(root, 'data');
    const shared = join(root, 'backups');
    mkdirSync(shared, { mode: 0o755 });
    writeFileSync(join(shared, 'shadow.bak'), 'root:$y$…', { mode: 0o600 });
    const own = join(root, 'own');
    mkdirSync(join(own, 'keep-2026-01-01T00-00-00-000Z'), { recursive: true });
    // named like Keep's but not a snapshot of Keep's: another program's, left alone
    const lookalike = join(root, 'lookalike');
    mkdirSync(join(lookalike, 'keep-notes'), { recursive: true });

    handOver([data, shared, own, lookalike, join(root, 'fresh')], NOBODY, log);

    expect(statSync(data).uid).toBe(NOBODY.uid);
    expect(statSync(join(shared, 'shadow.bak')).uid).toBe(0);
    expect([statSync(shared).uid, statSync(shared).mode & 0o777]).toEqual([0, 0o755]);
    expect(statSync(join(own, 'keep-2026-01-01T00-00-00-000Z')).uid).toBe(NOBODY.uid);
    expect(statSync(join(root, 'fresh')).uid).toBe(NOBODY.uid);
    expect(statSync(join(lookalike, 'keep-notes')).uid).toBe(0);
  });
});

describe('the user keepd runs as', () => {
  it('holds no root privilege: neither uid 0 nor group 0', () => {
    expect(() => checkRunAsUser({ name: 'toor', uid: 0, gid: 0, home: '/' })).toThrow(/is root/);
    expect(() => checkRunAsUser({ name: 'operator', uid: 11, gid: 0, home: '/' })).toThrow(/group root/);
    expect(() => checkRunAsUser(NOBODY)).not.toThrow();
  });
});

