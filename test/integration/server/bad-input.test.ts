// keepd refuses bad setups with one clear line and a non-zero exit, never a stack trace (issue 2).
import net from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKeepd } from '../../helpers/start-keep.ts';

const base = mkdtempSync(join(tmpdir(), 'keep-bad-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const ALL_PORTS_ZERO = {
  KEEP_NATIVE_PORT: '0', KEEP_NATIVE_TLS_PORT: '0', KEEP_SMTP_PORT: '0', KEEP_SUBMISSION_PORT: '0', KEEP_SUBMISSIONS_PORT: '0',
  KEEP_IMAP_PORT: '0', KEEP_IMAP_TLS_PORT: '0', KEEP_NNTP_PORT: '0', KEEP_NNTPS_PORT: '0', KEEP_HTTP_PORT: '0',
};

function expectOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('keepd'));
  expect(lines.length).toBeGreaterThanOrEqual(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('keepd bad input', () => {
  it('names an invalid setting', async () => {
    const r = await runKeepd(['serve'], { KEEP_DATA_DIR: join(base, 'a'), KEEP_NATIVE_PORT: 'abc' });
    expectOneLineError(r, /invalid setting nativePort: 'abc' is not an integer/);
  });

  it('names a port out of range', async () => {
    const r = await runKeepd(['serve', '--imap-port', '70000'], { KEEP_DATA_DIR: join(base, 'a') });
    expectOneLineError(r, /invalid setting imapPort/);
  });

  it('names a missing config file', async () => {
    const r = await runKeepd(['serve', '--config', join(base, 'nope.json')], {});
    expectOneLineError(r, /cannot read config file .*nope\.json: no such file/);
  });

  it('names an unknown key in a config file', async () => {
    const f = join(base, 'bad.json');
    writeFileSync(f, JSON.stringify({ colour: 'blue' }));
    const r = await runKeepd(['serve', '--config', f], {});
    expectOneLineError(r, /unknown setting 'colour'/);
  });

  it('reports a port in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runKeepd(['serve'], { ...ALL_PORTS_ZERO, KEEP_DATA_DIR: join(base, 'p'), KEEP_IMAP_PORT: String(port) });
      expectOneLineError(r, new RegExp(`cannot listen for IMAP on 127.0.0.1:${port}: address already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses a foreign data directory without touching it', async () => {
    const dir = join(base, 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'important.txt'), 'not ours');
    const r = await runKeepd(['serve'], { ...ALL_PORTS_ZERO, KEEP_DATA_DIR: dir });
    expectOneLineError(r, /is not empty and holds no Keep store/);
    expect(readdirSync(dir)).toEqual(['important.txt']);
    // started as root, it is not handed to KEEP_RUN_AS either
    expect(statSync(dir).uid).toBe(process.getuid?.() ?? 0);
  });

  it('refuses an unreadable data directory', async () => {
    if (process.getuid?.() === 0) {
      // root reads everything; use a file where a directory is expected instead
      const f = join(base, 'file-not-dir');
      writeFileSync(f, 'x');
      const r = await runKeepd(['user', 'list'], { KEEP_DATA_DIR: f });
      expectOneLineError(r, /is not a directory/);
      return;
    }
    const dir = join(base, 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o000);
    const r = await runKeepd(['user', 'list'], { KEEP_DATA_DIR: dir });
    expectOneLineError(r, /not readable and writable/);
  });

  // one keepd run per command, each a node process that loads the code
  it('answers --help on every command', { timeout: 300_000 }, async () => {
    for (const cmd of [['serve'], ['user', 'add'], ['user', 'passwd'], ['user', 'list'], ['user', 'set-level'], ['room', 'add'], ['room', 'list'], ['check'], ['audit']]) {
      const r = await runKeepd([...cmd, '--help'], {});
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: keepd ${cmd.join(' ')}`);
    }
  });

  it('rejects an unknown command with exit code 2', async () => {
    const r = await runKeepd(['frobnicate'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
