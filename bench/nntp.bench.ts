// NNTP reading (issue 8): a group of 10,000 articles on the real keepd; OVER of the whole range,
// then 20 concurrent logged-in readers fetching random ARTICLEs for BENCH_SECONDS.
// Reports OVER time and lines/s, and articles/s with p50/p99 latency per ARTICLE.
import { pino } from 'pino';
import { Store } from '../src/store/index.ts';
import { createCore, systemActor } from '../src/core/index.ts';
import { startKeep } from '../test/helpers/start-keep.ts';
import { NntpClient } from '../test/integration/nntp/nntp-client.ts';
import { summarize } from './lib/stats.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const READERS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const OVER_RUNS = 5;
const GROUP = 'keep.main-floor.bench';

/** Fill the Bench room through core on the server's store (LMDB allows several processes). */
async function fill(dataDir: string): Promise<void> {
  const store = Store.open({ dataDir });
  try {
    const core = createCore({
      store, log: pino({ level: 'silent' }),
      settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 10_000_000, newUserLevel: 3, softDeleteMs: 1000 },
    });
    const actor = systemActor('bench');
    const room = await core.rooms.create(actor, { name: 'Bench', kind: 'public' });
    const line = `${'lorem ipsum dolor sit amet '.repeat(2)}\n`;
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      for (let i = next++; i < ARTICLES; i = next++) {
        await core.messages.post(actor, { roomnum: room.roomnum, subject: `bench article ${i}`, text: `article ${i}\n${line.repeat(16)}` });
      }
    }));
  } finally {
    await store.close();
  }
}

async function reader(port: number, password: string, nums: number[], until: number, latencies: number[]): Promise<void> {
  const c = await NntpClient.connect(port);
  await c.login('admin', password);
  await c.cmd(`GROUP ${GROUP}`);
  for (let i = 0; performance.now() < until && i < 10_000_000; i++) {
    const n = nums[Math.floor(Math.random() * nums.length)]!;
    const t = performance.now();
    const r = await c.cmd(`ARTICLE ${n}`);
    if (r.code !== 220) throw new Error(`ARTICLE ${n}: ${r.code} ${r.text}`);
    latencies.push(performance.now() - t);
  }
  await c.cmd('QUIT');
  c.close();
}

async function main() {
  const keep = await startKeep();
  try {
    let t = performance.now();
    await fill(keep.dataDir);
    process.stdout.write(`setup: ${ARTICLES} articles posted through core in ${Math.round(performance.now() - t)} ms\n`);
    const c = await NntpClient.connect(keep.ports.nntp);
    await c.login('admin', keep.adminPassword);
    const group = await c.cmd(`GROUP ${GROUP}`);
    const nums = (await c.cmd(`LISTGROUP ${GROUP}`, true)).lines.map(Number);
    if (nums.length !== ARTICLES) throw new Error(`group has ${nums.length} articles: ${group.text}`);
    const overMs: number[] = [];
    for (let i = 0; i < OVER_RUNS; i++) {
      t = performance.now();
      const r = await c.cmd(`OVER ${nums[0]}-${nums.at(-1)}`);
      overMs.push(performance.now() - t);
      if (r.lines.length !== ARTICLES) throw new Error(`OVER gave ${r.lines.length} lines`);
    }
    const o = summarize(overMs, overMs.reduce((a, b) => a + b, 0));
    process.stdout.write(`OVER ${ARTICLES} articles ×${OVER_RUNS}: p50 ${o.p50} ms, worst ${Math.round(Math.max(...overMs))} ms, ${Math.round(ARTICLES / (o.p50 / 1000))} overview lines/s\n`);
    c.close();
    const latencies: number[] = [];
    t = performance.now();
    await Promise.all(Array.from({ length: READERS }, () => reader(keep.ports.nntp, keep.adminPassword, nums, t + SECONDS * 1000, latencies)));
    const s = summarize(latencies, performance.now() - t);
    process.stdout.write(`ARTICLE, ${READERS} concurrent readers, random articles, ${SECONDS}s: ${s.count} articles, ${s.perSecond} articles/s, p50 ${s.p50} ms, p99 ${s.p99} ms\n`);
  } finally {
    await keep.stop();
  }
}

await main();
