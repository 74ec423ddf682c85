// Scheduled snapshots (issue 9): written every interval, pruned to the configured count, each
// logged with size and duration; a failing one is logged at error level and /healthz degrades.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { handToServer } from '../../helpers/server-user.ts';

const base = mkdtempSync(join(tmpdir(), 'keep-sched-'));
handToServer(base);
afterAll(() => rmSync(base, { recursive: true, force: true }));
let keep: Keep | undefined;
afterEach(async () => {
  await keep?.stop();
  keep = undefined;
});

describe('scheduled snapshots', () => {
  it('writes one every interval and keeps only the newest', async () => {
    const dir = join(base, 'snaps');
    keep = await startKeep({ env: { KEEP_BACKUP_INTERVAL: '1', KEEP_BACKUP_DIR: dir, KEEP_BACKUP_KEEP: '2' } });
    let seen = 0;
    await keep.waitForLog((l) => l.msg === 'scheduled snapshot written' && ++seen >= 3, 20_000);
    const line = keep.logs.find((l) => l.msg === 'scheduled snapshot written')!;
    expect(line.bytes).toBeGreaterThan(0);
    expect(typeof line.ms).toBe('number');
    await keep.waitForLog((l) => l.msg === 'old snapshot pruned', 10_000);
    expect(readdirSync(dir).filter((n) => n.startsWith('keep-')).length).toBeLessThanOrEqual(2);
    const h = (await keep.healthz()) as unknown as { status: string; backup: { last: { bytes: number } } };
    expect(h.status).toBe('ok');
    expect(h.backup.last.bytes).toBeGreaterThan(0);
    const audit = await keep.cli(['audit', '--json']);
    expect(audit.stdout).toContain('store.backup');
  });

  it('logs a failure at error level and reports /healthz degraded', async () => {
    const notADir = join(base, 'file');
    writeFileSync(notADir, 'in the way');
    keep = await startKeep({ env: { KEEP_BACKUP_INTERVAL: '1', KEEP_BACKUP_DIR: notADir } });
    const err = await keep.waitForLog((l) => l.msg === 'scheduled snapshot failed', 10_000);
    expect(err.level).toBe(50);
    const h = (await keep.healthz()) as unknown as { status: string; backup: { lastError: { message: string } } };
    expect(h.status).toBe('degraded');
    expect(h.backup.lastError.message).toMatch(/EEXIST|ENOTDIR|not a directory|exists/i);
  });
});
