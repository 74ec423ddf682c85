// Slow clients (issue 10): with a thousand connections trickling one byte every few seconds, a
// normal client is still served, every round trip, and the worker stays up. How its latency
// compares with a quiet server is a figure for the benchmark (bench/connections.bench.ts), not a
// pass/fail line here: on a shared 2-core machine a p99 of a few milliseconds is the scheduler's.
import { afterAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../helpers/start-keep.ts';
import { nativeLatency } from '../../helpers/slow-clients.ts';

let keep: Keep | undefined;
afterAll(async () => { await keep?.stop(); });

describe('slow clients', () => {
  it('1,000 tricklers leave a normal client\'s latency alone', async () => {
    keep = await startKeep();
    const quiet = await nativeLatency(keep.ports.native, 'admin', keep.adminPassword, 1000);
    const ports = [keep.ports.native, keep.ports.imap, keep.ports.nntp, keep.ports.smtp].join(',');
    const slow = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/trickle-process.ts'), ports, '1000', '2000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the slow clients did not connect')), 30_000);
        slow.stdout.on('data', (d: Buffer) => { if (d.toString().startsWith('ready')) { clearTimeout(t); resolve(); } });
      });
      const loaded = await nativeLatency(keep.ports.native, 'admin', keep.adminPassword, 1000);
      console.log(`native NOOP p50/p99: quiet ${quiet.p50.toFixed(2)}/${quiet.p99.toFixed(2)} ms, with 1,000 slow clients ${loaded.p50.toFixed(2)}/${loaded.p99.toFixed(2)} ms`);
      expect(loaded.ok).toBe(1000);
      expect((await keep.healthz()).restarts).toBe(0);
    } finally {
      slow.kill('SIGTERM');
    }
  }, 240_000);
});
