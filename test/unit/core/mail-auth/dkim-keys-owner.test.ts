// DKIM keys written by a keepd command run as root (sudo keepd dkim rotate) stay readable by the
// server, which runs as the data directory's owner (KEEP_RUN_AS): they are given to that owner.
import { afterEach, describe, expect, it } from 'vitest';
import { chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DkimKeys } from '../../../../src/core/mail-auth/dkim-keys.ts';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('DkimKeys as root', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives new key files, keys.json and their directories to the data directory owner', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keep-dkim-'));
    chownSync(dir, NOBODY, NOBODY);
    const keys = new DkimKeys(dir);
    await keys.ensure(['keep.test'], 'one');
    await keys.rotate(['keep.test'], 'two');
    const paths = [join(dir, 'dkim'), join(dir, 'dkim', 'keys.json'), join(dir, 'dkim', 'keep.test'),
      ...readdirSync(join(dir, 'dkim', 'keep.test')).map((f) => join(dir!, 'dkim', 'keep.test', f))];
    expect(paths.length).toBeGreaterThan(4);
    for (const p of paths) expect({ p, uid: statSync(p).uid, gid: statSync(p).gid }).toEqual({ p, uid: NOBODY, gid: NOBODY });
  });
});
