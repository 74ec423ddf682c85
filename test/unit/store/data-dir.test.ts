// The data directory's first check decides what keepd, started as root, hands whole to
// KEEP_RUN_AS: only an empty directory or one holding a Keep store passes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataDirectory } from '../../../src/store/data-dir.ts';

const base = mkdtempSync(join(tmpdir(), 'keep-datadir-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the data directory check', () => {
  it('takes an empty directory and one holding a Keep store', () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(() => checkDataDirectory(empty, false)).not.toThrow();
    const store = join(base, 'store');
    mkdirSync(join(store, 'keep.mdb'), { recursive: true });
    mkdirSync(join(store, 'tls'));
    expect(() => checkDataDirectory(store, false)).not.toThrow();
  });

  it('refuses a home directory holding only hidden files (/root: .ssh, .bashrc)', () => {
    const home = join(base, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAA root@host\n');
    writeFileSync(join(home, '.bashrc'), '# shell\n');
    expect(() => checkDataDirectory(home, false)).toThrow(/not empty and holds no Keep store/);
  });
});
