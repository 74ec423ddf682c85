// keepd check --repair makes loose files owner-only; run as root over a directory the server's
// user writes to, it must never change what a link planted there points at.
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLooseModes, tightenModes } from '../../../../src/core/check/file-modes.ts';
import { isSnapshotName } from '../../../../src/core/backup/schedule.ts';

const base = mkdtempSync(join(tmpdir(), 'keep-modes-unit-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('check --repair on file modes', () => {
  it('finds group- or world-readable files and directories and makes them owner-only', () => {
    const root = join(base, 'data');
    mkdirSync(join(root, 'tls'), { recursive: true });
    writeFileSync(join(root, 'tls', 'key.pem'), 'secret');
    chmodSync(join(root, 'tls'), 0o755);
    chmodSync(join(root, 'tls', 'key.pem'), 0o644);
    chmodSync(root, 0o700);
    const loose = findLooseModes([root]);
    expect(loose.map((f) => [f.path.slice(root.length), f.mode])).toEqual([['/tls', 0o755], ['/tls/key.pem', 0o644]]);
    expect(tightenModes(loose)).toEqual([]);
    expect(statSync(join(root, 'tls')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
  });

  it('leaves what a link points at alone when a file was swapped for a link after the walk', () => {
    const root = join(base, 'swap');
    mkdirSync(root, { mode: 0o700 });
    const outside = join(base, 'outside.txt');
    writeFileSync(outside, 'public');
    chmodSync(outside, 0o644);
    const path = join(root, 'loose');
    writeFileSync(path, 'x');
    chmodSync(path, 0o644);
    const loose = findLooseModes([root]);
    unlinkSync(path);
    symlinkSync(outside, path);
    expect(tightenModes(loose).map((f) => f.path)).toEqual([path]);
    expect(statSync(outside).mode & 0o777).toBe(0o644);
  });

  it('leaves a file alone when a directory on its path was swapped for a link after the walk', () => {
    const root = join(base, 'swap-dir');
    mkdirSync(join(root, 'tls'), { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
    chmodSync(join(root, 'tls'), 0o700);
    writeFileSync(join(root, 'tls', 'passwd'), 'x');
    chmodSync(join(root, 'tls', 'passwd'), 0o644);
    const etc = join(base, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'passwd'), 'root:x:0:0');
    chmodSync(join(etc, 'passwd'), 0o644);
    const loose = findLooseModes([root]);
    expect(loose.map((f) => f.path)).toEqual([join(root, 'tls', 'passwd')]);
    renameSync(join(root, 'tls'), join(root, 'old'));
    symlinkSync(etc, join(root, 'tls'));
    expect(tightenModes(loose).map((f) => f.path)).toEqual([join(root, 'tls', 'passwd')]);
    expect(statSync(join(etc, 'passwd')).mode & 0o777).toBe(0o644);
  });
});

describe('check on a snapshot directory shared with other things', () => {
  const snapshotName = (at: number) => `keep-${new Date(at).toISOString().replace(/[:.]/g, '-')}`;

  it('knows the snapshots Keep writes by name, and nothing else called keep-…', () => {
    const name = snapshotName(Date.UTC(2026, 11, 6, 22, 15, 42, 7));
    expect(isSnapshotName(name)).toBe(true);
    expect(isSnapshotName(`${name}.partial-4242`)).toBe(true);
    for (const other of ['keep-notes', 'keep-2026.tar.gz', `${name}.old`, `x${name}`, 'etc-backup.tar', 'keep.jsonl']) expect(isSnapshotName(other)).toBe(false);
  });

  it('looks only at Keep\'s own snapshots there, not the directory nor what others keep in it', () => {
    const shared = join(base, 'var-backups');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    const snap = join(shared, snapshotName(Date.now()));
    mkdirSync(join(snap, 'keep.mdb'), { recursive: true });
    writeFileSync(join(snap, 'keep.mdb', 'data.mdb'), 'messages');
    chmodSync(snap, 0o700);
    chmodSync(join(snap, 'keep.mdb'), 0o755);
    chmodSync(join(snap, 'keep.mdb', 'data.mdb'), 0o644);
    const foreign = join(shared, 'etc-backup');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'passwd'), 'root:x:0:0');
    chmodSync(foreign, 0o755);
    chmodSync(join(foreign, 'passwd'), 0o644);
    writeFileSync(join(shared, 'keep-notes.txt'), 'not a snapshot');
    chmodSync(join(shared, 'keep-notes.txt'), 0o644);

    const loose = findLooseModes([{ path: shared, only: isSnapshotName }]);
    expect(loose.map((f) => [f.path, f.mode])).toEqual([[join(snap, 'keep.mdb'), 0o755], [join(snap, 'keep.mdb', 'data.mdb'), 0o644]]);
    expect(tightenModes(loose)).toEqual([]);
    expect(statSync(join(snap, 'keep.mdb', 'data.mdb')).mode & 0o777).toBe(0o600);
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    expect(statSync(join(foreign, 'passwd')).mode & 0o777).toBe(0o644);
    expect(statSync(join(shared, 'keep-notes.txt')).mode & 0o777).toBe(0o644);
  });

  it('still walks the whole directory when it is also given whole (the data directory)', () => {
    const dir = join(base, 'both');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'site.txt'), 'hello');
    chmodSync(join(dir, 'site.txt'), 0o644);
    expect(findLooseModes([dir, { path: dir, only: isSnapshotName }]).map((f) => f.path)).toEqual([join(dir, 'site.txt')]);
  });
});
