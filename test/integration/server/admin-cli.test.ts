// keepd user/room/audit commands work on a store and record admin actions in the audit log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKeepd } from '../../helpers/start-keep.ts';

const dir = mkdtempSync(join(tmpdir(), 'keep-admin-'));
const env = { KEEP_DATA_DIR: dir, KEEP_DOMAIN: 'keep.test' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keepd admin commands', () => {
  // a dozen keepd runs, each a node process that loads the code: minutes on a busy machine
  it('adds users, sets levels, changes passwords, adds rooms, and audits each', { timeout: 300_000 }, async () => {
    expect((await runKeepd(['user', 'add', 'Alice', '--password', 'pw1'], env)).stdout).toMatch(/created user Alice .*alice@keep.test/);
    expect((await runKeepd(['user', 'add', 'Alice', '--password', 'pw1'], env)).stderr).toMatch(/already exists/);
    expect((await runKeepd(['user', 'set-level', 'Alice', '6'], env)).stdout).toContain('Alice is now level 6');
    expect((await runKeepd(['user', 'set-level', 'Alice', '9'], env)).code).toBe(2);
    expect((await runKeepd(['user', 'passwd', 'Alice'], { ...env, KEEP_PASSWORD: 'pw2' })).stdout).toContain('password changed');
    expect((await runKeepd(['room', 'add', 'Kitchen'], env)).stdout).toMatch(/created room Kitchen/);
    expect((await runKeepd(['room', 'add', 'Vault', '--kind', 'private-password', '--password', 'open'], env)).code).toBe(0);
    const rooms = JSON.parse((await runKeepd(['room', 'list', '--json'], env)).stdout) as { name: string }[];
    expect(rooms.map((r) => r.name)).toEqual(expect.arrayContaining(['Kitchen', 'Vault']));
    const audit = JSON.parse((await runKeepd(['audit', '--json'], env)).stdout) as { action: string; target: string; origin: string; actor: string; time: number }[];
    const actions = audit.map((a) => `${a.action} ${a.target}`);
    expect(actions).toEqual(expect.arrayContaining(['user.create Alice', 'user.level Alice', 'user.password Alice', 'room.create Kitchen', 'room.create Vault']));
    for (const a of audit.filter((e) => e.origin !== 'first start')) {
      expect(a.origin).toMatch(/^cli:/);
      expect(a.time).toBeGreaterThan(0);
    }
    const text = (await runKeepd(['audit', '--user', 'nobody'], env)).stdout;
    expect(text).toBe('');
  });
});
