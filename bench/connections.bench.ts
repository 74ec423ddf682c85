// Many connections and slow clients (issue 10): 10,000 idle native/IMAP/WebSocket connections
// (time to open, worker memory per connection) and a normal client's NOOP latency with and
// without 1,000 slow clients trickling bytes (from a separate process).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startKeep } from '../test/helpers/start-keep.ts';
import { holdConnections, webCookie } from '../test/helpers/many-connections.ts';
import { nativeLatency } from '../test/helpers/slow-clients.ts';

const TOTAL = Number(process.env.BENCH_CONNECTIONS ?? 10_000);

async function main() {
  const keep = await startKeep();
  try {
    const quiet = await nativeLatency(keep.ports.native, 'admin', keep.adminPassword, 1000);
    const ports = [keep.ports.native, keep.ports.imap, keep.ports.nntp, keep.ports.smtp].join(',');
    const slow = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/trickle-process.ts'), ports, '1000', '2000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => slow.stdout.on('data', (d: Buffer) => { if (d.toString().startsWith('ready')) resolve(); }));
    const loaded = await nativeLatency(keep.ports.native, 'admin', keep.adminPassword, 1000);
    slow.kill('SIGTERM');
    console.log(`native NOOP round trip p50/p99: quiet ${quiet.p50.toFixed(2)}/${quiet.p99.toFixed(2)} ms; with 1,000 slow clients ${loaded.p50.toFixed(2)}/${loaded.p99.toFixed(2)} ms`);

    const cookie = await webCookie(keep, 'admin', keep.adminPassword);
    const before = (await keep.healthz()) as unknown as { worker: { rssBytes: number } };
    const t = performance.now();
    const held = await holdConnections(keep, TOTAL, { cookie, timeoutMs: 60_000 });
    const ms = performance.now() - t;
    const after = (await keep.healthz()) as unknown as { worker: { rssBytes: number } };
    const per = (after.worker.rssBytes - before.worker.rssBytes) / TOTAL;
    console.log(`${TOTAL} idle connections (native ${held.native.length}, IMAP ${held.imap.length}, WebSocket ${held.ws.length}) opened in ${(ms / 1000).toFixed(1)} s (${Math.round(TOTAL / (ms / 1000))}/s); worker RSS +${Math.round((after.worker.rssBytes - before.worker.rssBytes) / 2 ** 20)} MiB, ${(per / 1024).toFixed(1)} KiB per connection`);
    held.close();
  } finally {
    await keep.stop();
  }
}

await main();
