// Native protocol (issue 3): concurrent sessions on the real keepd. Readers loop GOTO + MSGS NEW
// + MSG4 while writers loop ENT0 posts (each confirmed durable by the reply to the NOOP that
// follows it), at 10 and 100 sessions; then writers alone; then N idle connections held at once.
// Reports commands/s and p50/p99 latency per kind.
import { startKeep } from '../test/helpers/start-keep.ts';
import { NativeClient } from '../test/helpers/native-client.ts';
import { summarize } from './lib/stats.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SEED = 200;
const IDLE = Number(process.env.BENCH_IDLE ?? 10_000);
const USERS = 10;

interface Figures { reads: number[]; marks: number[]; posts: number[] }

async function login(port: number, n: number): Promise<NativeClient> {
  const c = await NativeClient.connect(port, { timeoutMs: 60_000 });
  await c.login(`bench${n % USERS}`, 'bench-pw');
  const g = await c.cmd('GOTO Bench|');
  if (g.code !== 200) throw new Error(`GOTO Bench: ${g.raw}`);
  return c;
}

async function timed(out: number[], c: NativeClient, line: string, want: number): Promise<void> {
  const t = performance.now();
  const r = await c.cmd(line);
  if (Math.floor(r.code / 100) !== want) throw new Error(`${line}: ${r.raw}`);
  out.push(performance.now() - t);
}

/**
 * A reader does what the stock client's "read new messages" does in one room: GOTO (which
 * reports the room's highest number), MSGS NEW, MSG4 each new message (three per visit; when
 * fewer are new it re-reads older ones), then SLRP to the highest it has seen before moving on.
 */
async function reader(c: NativeClient, until: number, f: Figures, older: number[]): Promise<void> {
  for (let i = 0; performance.now() < until && i < 10_000_000; i++) {
    const t0 = performance.now();
    const g = await c.cmd('GOTO Bench|');
    if (g.code !== 200) throw new Error(`GOTO: ${g.raw}`);
    f.reads.push(performance.now() - t0);
    const highest = Number(g.text.split('|')[5]); // GOTO field 5: the room's highest message number
    const t1 = performance.now();
    const list = await c.cmd('MSGS NEW||0');
    f.reads.push(performance.now() - t1);
    const fresh = list.lines.map(Number);
    for (let j = 0; j < 3 && performance.now() < until; j++) {
      const n = fresh[j] ?? older[Math.floor(Math.random() * older.length)];
      await timed(f.reads, c, `MSG4 ${n}|0`, 1);
    }
    const t2 = performance.now();
    const mark = await c.cmd(`SLRP ${Math.max(highest, ...fresh.slice(0, 3))}`);
    if (mark.code !== 200) throw new Error(`SLRP: ${mark.raw}`);
    f.marks.push(performance.now() - t2);
  }
}

async function writer(c: NativeClient, until: number, f: Figures): Promise<void> {
  for (let i = 0; performance.now() < until && i < 10_000_000; i++) {
    const t = performance.now();
    const r = await c.cmd(`ENT0 1||0|1|bench post ${i}|||||||||`);
    if (r.code !== 400) throw new Error(`ENT0: ${r.raw}`);
    c.sendListing([`post ${i} from a bench writer`, 'lorem ipsum dolor sit amet '.repeat(3)]);
    // nothing answers the text; the NOOP's reply comes after the post is durable
    const ok = await c.cmd('NOOP');
    if (ok.code !== 200) throw new Error(`NOOP: ${ok.raw}`);
    f.posts.push(performance.now() - t);
  }
}

async function phase(port: number, older: number[], readers: number, writers: number): Promise<void> {
  // logins verify scrypt hashes: a few at a time, outside the measured time
  const clients: NativeClient[] = [];
  for (let i = 0; i < readers + writers; i += 10) {
    clients.push(...await Promise.all(Array.from({ length: Math.min(10, readers + writers - i) }, (_, j) => login(port, i + j))));
  }
  const f: Figures = { reads: [], marks: [], posts: [] };
  const start = performance.now();
  const until = start + SECONDS * 1000;
  await Promise.all(clients.map((c, i) => (i < readers ? reader(c, until, f, older) : writer(c, until, f))));
  const elapsed = performance.now() - start;
  for (const c of clients) c.close();
  const r = summarize(f.reads, elapsed);
  const m = summarize(f.marks, elapsed);
  const p = summarize(f.posts, elapsed);
  const label = `${readers + writers} sessions (${readers} reading, ${writers} posting)`;
  if (readers) {
    console.log(`${label}: reads  ${r.perSecond} commands/s  p50 ${r.p50} ms  p99 ${r.p99} ms  (${r.count} GOTO/MSGS/MSG4)`);
    console.log(`${label}: SLRP   ${m.perSecond} durable read-pointer updates/s  p50 ${m.p50} ms  p99 ${m.p99} ms`);
  }
  if (writers) console.log(`${label}: posts  ${p.perSecond} durable posts/s  p50 ${p.p50} ms  p99 ${p.p99} ms  (${p.count} ENT0)`);
}

async function idle(port: number, count: number): Promise<void> {
  const held: NativeClient[] = [];
  const t = performance.now();
  try {
    for (let i = 0; i < count; i += 250) {
      const batch = await Promise.all(Array.from({ length: Math.min(250, count - i) }, () => NativeClient.connect(port, { timeoutMs: 30_000 })));
      for (const c of batch) {
        held.push(c);
        if (!c.greeting.startsWith('200')) throw new Error(`connection ${held.length}: ${c.greeting}`);
      }
    }
    const opened = performance.now() - t;
    const probe = await login(port, 0);
    const p0 = performance.now();
    await probe.cmd('NOOP');
    const noop = performance.now() - p0;
    probe.close();
    console.log(`idle: ${held.length} connections held at once (opened in ${Math.round(opened)} ms); a NOOP beside them took ${noop.toFixed(2)} ms`);
  } finally {
    for (const c of held) c.close();
  }
}

// BENCH_PORT + BENCH_ADMIN_PASSWORD drive a keepd started elsewhere (e.g. under `node --cpu-prof`)
const external = process.env.BENCH_PORT ? { port: Number(process.env.BENCH_PORT), password: process.env.BENCH_ADMIN_PASSWORD ?? '' } : undefined;
const keep = external ? undefined : await startKeep({ env: { KEEP_LOG_LEVEL: 'info', KEEP_IDLE_TIMEOUT: '600' } });
const port = external?.port ?? keep!.ports.native;
try {
  const admin = await NativeClient.connect(port);
  await admin.login('admin', external?.password ?? keep!.adminPassword);
  for (let u = 0; u < USERS; u++) {
    const r = await admin.cmd(`CREU bench${u}|bench-pw`);
    if (r.code !== 200) throw new Error(`CREU: ${r.raw}`);
  }
  await admin.cmd('CRE8 1|Bench|0||0');
  await admin.cmd('GOTO Bench|');
  for (let i = 0; i < SEED; i++) {
    await admin.cmd(`ENT0 1||0|1|seed ${i}|||||||||`);
    admin.sendListing([`seed message ${i}`, 'lorem ipsum dolor sit amet '.repeat(4)]);
  }
  await admin.cmd('NOOP');
  const older = (await admin.cmd('MSGS ALL||0')).lines.map(Number);
  admin.close();
  console.log(`native: ${SECONDS} s per phase, room seeded with ${SEED} messages, ${USERS} users`);
  await phase(port, older, 8, 2);
  await phase(port, older, 90, 10);
  await phase(port, older, 0, 50);
  await phase(port, older, 0, 200);
  await idle(port, IDLE);
} finally {
  await keep?.stop();
}
