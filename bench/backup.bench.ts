// Export and import rate of a 100,000-message store through the real keepd commands
// (messages/s and MB/s each way), plus an online snapshot's duration (issue 9).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { Store } from '../src/store/index.ts';
import { createCore, systemActor, BASE_ROOM } from '../src/core/index.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const KEEPD = resolve(import.meta.dirname, '../bin/keepd.js');

function keepd(args: string[], dataDir: string): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [KEEPD, ...args], { env: { ...process.env, KEEP_DATA_DIR: dataDir, KEEP_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`keepd ${args.join(' ')} failed (${r.status})`);
  return performance.now() - started;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'keep-bench-backup-'));
  const src = join(dir, 'src');
  const store = Store.open({ dataDir: src });
  const core = createCore({ store, log: pino({ level: 'silent' }), settings: { domain: 'bench.test', localDomains: [], nodeName: 'bench', humanNode: 'Bench', maxMessageSize: 1e7, newUserLevel: 3, softDeleteMs: 1e9 } });
  await core.seed({ name: 'admin', password: 'bench' });
  const actor = systemActor('bench');
  const lobby = core.rooms.findByName(actor, BASE_ROOM)!;
  const body = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n'.repeat(16); // ~1 KiB
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (next < MESSAGES) {
      const i = next++;
      await core.messages.post(actor, { roomnum: lobby.roomnum, subject: `message ${i}`, text: body });
    }
  }));
  console.log(`setup: ${MESSAGES} messages posted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await store.close();

  const file = join(dir, 'export.jsonl');
  const exportMs = keepd(['export', '--out', file], src);
  const mb = statSync(file).size / 2 ** 20;
  const importMs = keepd(['import', file], join(dir, 'imported'));
  const snapMs = keepd(['backup', join(dir, 'snap')], src);
  const rate = (ms: number) => `${Math.round(MESSAGES / (ms / 1000))} messages/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(`export: ${MESSAGES} messages, ${mb.toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s: ${rate(exportMs)}`);
  console.log(`import: ${(importMs / 1000).toFixed(2)} s: ${rate(importMs)}`);
  console.log(`backup (compacted snapshot): ${(snapMs / 1000).toFixed(2)} s`);
  console.log('(times include starting keepd, about half a second each)');
  rmSync(dir, { recursive: true, force: true });
}

await main();
