// MIGR export (issue 9): an aide streams the store as export lines over the native protocol;
// the stream is what keepd import loads; others are refused; the export is audited.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeepd } from '../../helpers/start-keep.ts';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
beforeAll(async () => { f = await nativeFixture(); });
afterAll(async () => { await f?.stop(); });

describe('native MIGR', () => {
  it('streams an export an aide can import elsewhere', async () => {
    const admin = await f.as('admin');
    await admin.cmd('GOTO Lobby');
    expect((await admin.cmd('ENT0 1||0|1|exported|')).code).toBe(400);
    admin.sendListing(['a line to carry over']);
    const r = await admin.cmd('MIGR export');
    expect(r.code).toBe(100);
    expect(JSON.parse(r.lines[0]!).t).toBe('header');
    expect(JSON.parse(r.lines.at(-1)!).t).toBe('end');
    const dir = mkdtempSync(join(tmpdir(), 'keep-migr-'));
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, `${r.lines.join('\n')}\n`);
    const target = join(dir, 'target');
    const imp = await runKeepd(['import', file], { KEEP_DATA_DIR: target, KEEP_DOMAIN: 'keep.test' });
    expect(imp.code, imp.stderr).toBe(0);
    const check = await runKeepd(['check'], { KEEP_DATA_DIR: target, KEEP_DOMAIN: 'keep.test' });
    expect(check.stdout).toContain('store is consistent');
    const audit = JSON.parse((await f.keep.cli(['audit', '--json'])).stdout) as { action: string; origin: string }[];
    expect(audit.find((a) => a.action === 'store.export')?.origin).toMatch(/^native:/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses users who are not aides, and other subcommands', async () => {
    const u = await f.as('Mig');
    expect((await u.cmd('MIGR export')).code).toBe(550);
    const admin = await f.as('admin');
    expect((await admin.cmd('MIGR import')).code).toBe(512);
  });
});
