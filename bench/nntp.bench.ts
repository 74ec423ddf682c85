// NNTP reading (issue 8): a group of 10,000 articles on the real keepd; OVER of the whole range,
// then 20 concurrent logged-in readers fetching random ARTICLEs for BENCH_SECONDS.
// Reports OVER time and lines/s, and articles/s with p50/p99 latency per ARTICLE.
// BENCH_NNTP_SERVER=host:port (with BENCH_NNTP_GROUP) runs the same measurement against another
// server, e.g. INN for comparison; its group is filled over POST when it has too few articles.
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
const LINE = `${'lorem ipsum dolor sit amet '.repeat(2)}`;
const BODY_LINES = 16;

interface Target { port: number; group: string; login?: { user: string; password: string } }

/** Fill a Keep room through core on the server's store (LMDB allows several processes). */
async function fillThroughCore(dataDir: string): Promise<void> {
  const store = Store.open({ dataDir });
  try {
    const core = createCore({
      store, log: pino({ level: 'silent' }),
      settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 10_000_000, newUserLevel: 3, softDeleteMs: 1000 },
    });
    const actor = systemActor('bench');
    const room = await core.rooms.create(actor, { name: 'Bench', kind: 'public' });
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      for (let i = next++; i < ARTICLES; i = next++) {
        await core.messages.post(actor, { roomnum: room.roomnum, subject: `bench article ${i}`, text: `article ${i}\n${`${LINE}\n`.repeat(BODY_LINES)}` });
      }
    }));
  } finally {
    await store.close();
  }
}

async function open(t: Target): Promise<NntpClient> {
  const c = await NntpClient.connect(t.port, 60_000);
  await c.cmd('MODE READER'); // INN starts in transit mode
  if (t.login) await c.login(t.login.user, t.login.password);
  return c;
}

/** Fill another server's group over POST (INN has no shortcut we could share). */
async function fillOverPost(t: Target, have: number): Promise<void> {
  const c = await open(t);
  for (let i = have; i < ARTICLES; i++) {
    const r = await c.post([`From: Bench <bench@bench.test>`, `Newsgroups: ${t.group}`, `Subject: bench article ${i}`, '', `article ${i}`, ...Array.from({ length: BODY_LINES }, () => LINE)]);
    if (r.code !== 240) throw new Error(`POST ${i}: ${r.code} ${r.text}`);
  }
  c.close();
}

/** One reader: fetch random articles until the deadline, recording each ARTICLE's latency. */
async function reader(c: NntpClient, nums: number[], until: number, latencies: number[]): Promise<void> {
  for (let i = 0; performance.now() < until && i < 10_000_000; i++) {
    const n = nums[Math.floor(Math.random() * nums.length)]!;
    const started = performance.now();
    const r = await c.cmd(`ARTICLE ${n}`);
    if (r.code !== 220) throw new Error(`ARTICLE ${n}: ${r.code} ${r.text}`);
    latencies.push(performance.now() - started);
  }
  await c.cmd('QUIT');
  c.close();
}

async function measure(t: Target): Promise<void> {
  const c = await open(t);
  const nums = (await c.cmd(`LISTGROUP ${t.group}`, true)).lines.map(Number).slice(-ARTICLES);
  if (nums.length !== ARTICLES) throw new Error(`group ${t.group} has ${nums.length} articles, want ${ARTICLES}`);
  const overMs: number[] = [];
  for (let i = 0; i < OVER_RUNS; i++) {
    const started = performance.now();
    const r = await c.cmd(`OVER ${nums[0]}-${nums.at(-1)}`);
    overMs.push(performance.now() - started);
    if (r.lines.length !== ARTICLES) throw new Error(`OVER gave ${r.lines.length} lines`);
  }
  c.close();
  const o = summarize(overMs, overMs.reduce((a, b) => a + b, 0));
  process.stdout.write(`OVER ${ARTICLES} articles ×${OVER_RUNS}: p50 ${o.p50} ms, worst ${Math.round(Math.max(...overMs))} ms, ${Math.round(ARTICLES / (o.p50 / 1000))} overview lines/s\n`);
  // connect and log every reader in first, so logins (scrypt) are not part of the reading time
  const readers = await Promise.all(Array.from({ length: READERS }, async () => {
    const r = await open(t);
    await r.cmd(`GROUP ${t.group}`);
    return r;
  }));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(readers.map((r) => reader(r, nums, started + SECONDS * 1000, latencies)));
  const s = summarize(latencies, performance.now() - started);
  process.stdout.write(`ARTICLE, ${READERS} concurrent readers, random articles, ${SECONDS}s: ${s.count} articles, ${s.perSecond} articles/s, p50 ${s.p50} ms, p99 ${s.p99} ms\n`);
}

async function main() {
  const external = process.env.BENCH_NNTP_SERVER;
  if (external) {
    const t: Target = { port: Number(external.split(':')[1]), group: process.env.BENCH_NNTP_GROUP ?? 'local.bench' };
    const c = await open(t);
    const g = await c.cmd(`GROUP ${t.group}`);
    c.close();
    if (g.code !== 211) throw new Error(`GROUP ${t.group}: ${g.code} ${g.text}`);
    const have = Number(g.text.split(' ')[0]);
    if (have < ARTICLES) await fillOverPost(t, have);
    process.stdout.write(`target: ${external} group ${t.group}\n`);
    return measure(t);
  }
  const keep = await startKeep();
  try {
    const started = performance.now();
    await fillThroughCore(keep.dataDir);
    process.stdout.write(`target: keepd; setup: ${ARTICLES} articles posted through core in ${Math.round(performance.now() - started)} ms\n`);
    await measure({ port: keep.ports.nntp, group: 'keep.main-floor.bench', login: { user: 'admin', password: keep.adminPassword } });
  } finally {
    await keep.stop();
  }
}

await main();
