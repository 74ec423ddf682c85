import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { clientEnv, expectOneLineError, runKeep } from './run-keep.ts';

let keep: Keep;
let dir: string;
let ca: string;

beforeAll(async () => {
  keep = await startKeep();
  expect((await keep.cli(['user', 'add', 'erin', '--password', 'erin-pw'])).code).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'keep-cli-config-'));
  ca = join(keep.dataDir, 'tls', 'self-signed.crt');
}, 120_000); // a loaded machine starts keepd slowly
afterAll(async () => {
  await keep?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An environment with no KEEP_* connection settings at all. */
function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = clientEnv(0, '', '', extra);
  for (const k of ['KEEP_HOST', 'KEEP_PORT', 'KEEP_USER', 'KEEP_PASSWORD']) if (!(k in extra)) delete env[k];
  return env;
}

const whoami = async (args: string[], env: Record<string, string>) => {
  const run = await runKeep([...args, 'whoami', '--json'], env);
  if (run.code !== 0) throw new Error(`keep whoami exited ${run.code}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { user: string }).user;
};

describe('keep connection settings', { timeout: 180_000 }, () => { // each test spawns several clients; a loaded machine is slow
  it('takes host, port, user and password from flags', async () => {
    expect(await whoami(['--host', '127.0.0.1', '--port', String(keep.ports.native), '--user', 'erin', '--password', 'erin-pw'], bareEnv())).toBe('erin');
  });

  it('takes them from KEEP_HOST, KEEP_PORT, KEEP_USER and KEEP_PASSWORD', async () => {
    expect(await whoami([], clientEnv(keep.ports.native, 'erin', 'erin-pw'))).toBe('erin');
  });

  it('takes them from a config file named by --config or KEEP_CLIENT_CONFIG, or the default path', async () => {
    const file = join(dir, 'client.json');
    writeFileSync(file, JSON.stringify({ host: '127.0.0.1', port: keep.ports.native, user: 'erin', password: 'erin-pw' }));
    expect(await whoami(['--config', file], bareEnv())).toBe('erin');
    expect(await whoami([], bareEnv({ KEEP_CLIENT_CONFIG: file }))).toBe('erin');
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'keep'), { recursive: true });
    writeFileSync(join(xdg, 'keep', 'client.json'), JSON.stringify({ port: keep.ports.native, user: 'erin', password: 'erin-pw' }));
    expect(await whoami([], bareEnv({ XDG_CONFIG_HOME: xdg }))).toBe('erin');
  });

  it('prefers a flag to the environment and the environment to the config file', async () => {
    const file = join(dir, 'admin.json');
    writeFileSync(file, JSON.stringify({ port: keep.ports.native, user: 'admin', password: 'admin-secret' }));
    expect(await whoami(['--config', file], bareEnv())).toBe('admin');
    expect(await whoami(['--config', file], bareEnv({ KEEP_USER: 'erin', KEEP_PASSWORD: 'erin-pw' }))).toBe('erin');
    expect(await whoami(['--config', file, '--user', 'erin', '--password', 'erin-pw'], bareEnv({ KEEP_USER: 'nobody' }))).toBe('erin');
  });

  it('rejects a config file that is not JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ port: ');
    const run = await runKeep(['--config', file, 'whoami'], bareEnv());
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/is not valid JSON/);
  });

  it('speaks TLS on the implicit-TLS port, trusting the server certificate given with --ca', async () => {
    const env = clientEnv(keep.ports['native-tls'], 'erin', 'erin-pw');
    expect(await whoami(['--tls', 'implicit', '--ca', ca], env)).toBe('erin');
  });

  it('upgrades the plain port with STLS', async () => {
    expect(await whoami(['--tls', 'starttls', '--ca', ca], clientEnv(keep.ports.native, 'erin', 'erin-pw'))).toBe('erin');
  });

  it('refuses an untrusted certificate with a hint and exit code 2', async () => {
    const run = await runKeep(['--tls', 'implicit', 'whoami'], clientEnv(keep.ports['native-tls'], 'erin', 'erin-pw'));
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/TLS with 127\.0\.0\.1:\d+ failed: .*use --ca FILE/);
  });
});
