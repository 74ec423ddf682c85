// chownTree runs as root over a directory the service user writes to. The user may swap a
// subdirectory for a link to /etc between root's look at it and root's descent into it; the
// swap is made here at the worst moment (as the subdirectory is listed), every time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as realFs from 'node:fs';
import { mkdtempSync, mkdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const race = vi.hoisted(() => ({ swap: undefined as (() => void) | undefined, lists: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof realFs>();
  const readdirSync = ((path: realFs.PathLike, ...rest: unknown[]) => {
    race.lists += 1;
    // the second listing is the subdirectory's: the user swaps it just before it is read
    if (race.lists === 2 && race.swap) race.swap();
    return (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readdirSync }, readdirSync };
});

vi.resetModules(); // the setup file loaded privileges.ts with the real node:fs
const { chownTree, isRoot } = await import('../../../src/supervisor/privileges.ts');
const NOBODY = { name: 'nobody', uid: 65534, gid: 65534, home: '/' };

describe.skipIf(!isRoot())('chownTree against a swapped directory', () => {
  let root: string | undefined;
  afterEach(() => {
    race.swap = undefined;
    race.lists = 0;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('never gives away what a directory swapped for a link points at', () => {
    root = mkdtempSync(join(tmpdir(), 'keep-race-'));
    const etc = join(root, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'shadow'), 'root only');
    const data = join(root, 'data');
    mkdirSync(join(data, 'sub'), { recursive: true });
    writeFileSync(join(data, 'sub', 'shadow'), 'x');
    race.swap = () => {
      renameSync(join(data, 'sub'), join(data, 'moved'));
      symlinkSync(etc, join(data, 'sub'));
    };

    chownTree(data, NOBODY);

    expect(race.lists).toBeGreaterThanOrEqual(2);
    expect(statSync(join(etc, 'shadow')).uid).toBe(0);
    expect(statSync(etc).uid).toBe(0);
    expect(statSync(join(data, 'moved', 'shadow')).uid).toBe(NOBODY.uid);
  });
});
