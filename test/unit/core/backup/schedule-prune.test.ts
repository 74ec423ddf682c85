// The snapshot directory (KEEP_BACKUP_DIR) may be shared with other things: pruning old
// snapshots removes only what Keep wrote there, known by its full name.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
let dir: string;
beforeEach(async () => {
  f = await coreFixture();
  dir = mkdtempSync(join(tmpdir(), 'keep-shared-backups-'));
});
afterEach(async () => {
  await f.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scheduled snapshot pruning in a shared directory', () => {
  it('removes old snapshots but nothing else whose name starts with keep-', async () => {
    const old = join(dir, 'keep-2000-01-01T00-00-00-000Z');
    mkdirSync(join(old, 'keep.mdb'), { recursive: true });
    mkdirSync(join(dir, 'keep-notes'));
    writeFileSync(join(dir, 'keep-notes', 'todo.txt'), 'someone else\'s');
    writeFileSync(join(dir, 'keep-1999.tar.gz'), 'someone else\'s');
    await f.core.backup.schedule.runOnce({ intervalSeconds: 0, dir, keep: 1 });
    expect(f.core.backup.schedule.status().lastError).toBeUndefined();
    expect(existsSync(old)).toBe(false);
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(3);
    expect(left.filter((n) => n !== 'keep-notes' && n !== 'keep-1999.tar.gz')).toEqual([expect.stringMatching(/^keep-\d{4}-\d{2}-\d{2}T/)]);
    expect(existsSync(join(dir, 'keep-notes', 'todo.txt'))).toBe(true);
  });
});
