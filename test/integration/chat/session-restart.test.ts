// Web login sessions live in the store: a worker killed with SIGKILL logs nobody out, a logout
// stays a logout across the next restart, and the store never holds a cookie's token.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;

beforeAll(async () => {
  keep = await startKeep();
  const r = await keep.cli(['user', 'add', 'alice', '--password', 'alice-pw']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await keep?.stop();
});

const me = async (cookie: string) => (await fetch(`http://127.0.0.1:${keep.ports.http}/api/me`, { headers: { cookie } })).status;

/** SIGKILL the worker and wait until its replacement is ready. */
async function killWorker(): Promise<void> {
  const first = await keep.workerPid();
  const killedAt = Date.now();
  process.kill(first, 'SIGKILL');
  await keep.waitForLog((l) => l.msg === 'worker ready' && l.pid !== first && (l.time as number) >= killedAt, 60_000);
}

describe('web sessions across worker restarts', () => {
  it('keep a logged-in user logged in when the worker is killed', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    expect(await me(cookie)).toBe(200);
    await killWorker();
    expect(await me(cookie)).toBe(200);
    const c = await ChatClient.connect(keep.ports.http, cookie);
    expect(await c.join('Lobby')).toMatchObject({ type: 'history', room: 'Lobby' });
    c.close();
  });

  it('keep a logout: the cookie stays refused after the next restart', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    const out = await fetch(`http://127.0.0.1:${keep.ports.http}/api/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    await killWorker();
    expect(await me(cookie)).toBe(401);
  });

  it('store only a hash of the token', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    const token = cookie.split('=')[1]!;
    expect(await me(cookie)).toBe(200);
    const dir = join(keep.dataDir, 'keep.mdb');
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(token)).toBe(false);
  });
});
