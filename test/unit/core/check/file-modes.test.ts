// keepd check --repair makes loose files owner-only; run as root over a directory the server's
// user writes to, it must never change what a link planted there points at.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLooseModes, tightenModes } from '../../../../src/core/check/file-modes.ts';

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
});
