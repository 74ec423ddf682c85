// A watchdog kill names its cause (issue 16): a request that blocks the worker's event loop on
// purpose (test faults on) is named in the supervisor's kill line by protocol, connection and
// command, from the report of the worker's watcher thread.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep | undefined;
afterAll(async () => { await keep?.stop(); }, 60_000);

describe('supervisor kill line', () => {
  it('names the protocol, connection and command that stalled the worker', async () => {
    keep = await startKeep({ env: { KEEP_TEST_FAULTS: '1', KEEP_HEARTBEAT_INTERVAL: '200', KEEP_HEARTBEAT_TIMEOUT: '3000' } });
    const first = await keep.workerPid();
    const s = net.connect(keep.ports.http, '127.0.0.1');
    s.on('error', () => { /* the worker dies with this connection open */ });
    s.on('connect', () => s.write('POST /debug/block-now HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'));
    try {
      const kill = await keep.waitForLog((l) => typeof l.msg === 'string' && (l.msg as string).includes('heartbeat missing'), 30_000);
      expect(kill.pid).toBe(first);
      expect(kill.proto).toBe('http');
      expect(typeof kill.cid).toBe('number');
      expect(kill.cmd).toBe('POST /debug/block-now');
      expect(kill.msg).toMatch(/in http connection \d+ running POST \/debug\/block-now/);
      await keep.waitForLog((l) => l.msg === 'worker ready' && l.pid !== first, 30_000);
    } finally {
      s.destroy();
    }
  }, 120_000);
});
