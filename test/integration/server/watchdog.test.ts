// The supervisor keeps the server alive: kill -9, stalls and SIGTERM (issue 2).
import { afterEach, describe, expect, it } from 'vitest';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep | undefined;
afterEach(async () => {
  await keep?.stop();
  keep = undefined;
});

/** One raw HTTP request over a fresh TCP connection; resolves with the status line. */
async function rawGet(port: number, path: string): Promise<string> {
  const s = await RawSocket.connect(port);
  s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  try {
    return await s.line();
  } finally {
    s.close();
  }
}

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not yet: the worker may be restarting
    }
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('supervisor', () => {
  // how fast the failover is belongs to a benchmark; what makes it fast (the loaded standby
  // takes over, no fresh fork) is behaviour, and is asserted here
  it('replaces a worker killed with SIGKILL with the loaded standby and counts the restart', async () => {
    keep = await startKeep();
    await keep.waitForLog((l) => l.msg === 'standby worker loaded');
    const first = await keep.workerPid();
    const killedAt = Date.now();
    process.kill(first, 'SIGKILL');
    // a connection opened while the worker is down waits in the supervisor and is served
    const during = rawGet(keep.ports.http, '/healthz');
    const starting = await keep.waitForLog((l) => l.msg === 'worker starting' && l.pid !== first && (l.time as number) >= killedAt);
    expect(starting).toMatchObject({ cause: 'killed by SIGKILL', isWarm: true });
    await keep.waitForLog((l) => l.msg === 'worker ready' && l.pid === starting.pid);
    expect(await during).toMatch(/^HTTP\/1.1 200/);
    const h = await keep.healthz();
    expect(h.restarts).toBe(1);
    expect(h.worker.pid).not.toBe(first);
    const restartLog = keep.logs.find((l) => typeof l.msg === 'string' && (l.msg as string).includes('killed by SIGKILL'));
    expect(restartLog).toBeDefined();
  });

  it('kills and replaces a worker whose event loop is blocked', async () => {
    keep = await startKeep({ env: { KEEP_TEST_FAULTS: '1', KEEP_HEARTBEAT_INTERVAL: '200', KEEP_HEARTBEAT_TIMEOUT: '1500' } });
    const first = await keep.workerPid();
    const res = await fetch(`http://127.0.0.1:${keep.ports.http}/debug/block`, { method: 'POST' });
    expect(res.status).toBe(200);
    await keep.waitForLog((l) => typeof l.msg === 'string' && (l.msg as string).includes('heartbeat missing'), 10_000);
    const pid = await until(async () => {
      const p = await keep!.workerPid();
      return p !== first ? p : undefined;
    }, 10_000);
    expect(pid).not.toBe(first);
    expect((await keep.healthz()).restarts).toBe(1);
  });

  it('restarts a worker that crashes on an uncaught error', async () => {
    keep = await startKeep({ env: { KEEP_TEST_FAULTS: '1' } });
    const first = await keep.workerPid();
    await fetch(`http://127.0.0.1:${keep.ports.http}/debug/crash`, { method: 'POST' });
    const pid = await until(async () => {
      const p = await keep!.workerPid();
      return p !== first ? p : undefined;
    }, 10_000);
    expect(pid).not.toBe(first);
    expect(keep.logs.some((l) => typeof l.msg === 'string' && (l.msg as string).includes('exited with code 1'))).toBe(true);
  });

  it('does not answer test faults unless enabled', async () => {
    keep = await startKeep();
    const res = await fetch(`http://127.0.0.1:${keep.ports.http}/debug/crash`, { method: 'POST' });
    expect(res.status).toBe(404);
  });

  it('drains on SIGTERM, exits 0, and the data is intact on the next start', async () => {
    keep = await startKeep({ keepData: true });
    const dataDir = keep.dataDir;
    const add = await keep.cli(['user', 'add', 'Persist', '--password', 'pw']);
    expect(add.code).toBe(0);
    expect(await keep.stop()).toBe(0);
    keep = await startKeep({ dataDir });
    const list = await keep.cli(['user', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((u: { name: string }) => u.name)).toContain('Persist');
    const check = await keep.cli(['check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('store is consistent');
  }, 300_000); // two starts and three CLI runs: each a node process that loads the code
});
