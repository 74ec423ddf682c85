// WebSocket chat (issue 7) on the real keepd:
//  1. (second, on its own keepd) memory per idle connection: the worker's RSS and heap (from /metrics) before and after
//     BENCH_IDLE (10,000) logged-in WebSockets are open;
//  2. (first) fan-out: BENCH_CLIENTS (1,000) WebSockets in one room, each saying one line a second for
//     BENCH_SECONDS (20); latency from send to receipt at every receiver (each delivery timed
//     from the frame's bytes, not decoded), per line until its last receiver, and at
//     BENCH_PROBES receivers that decode and check every frame. The clients are lean ones
//     (lib/lean-ws.ts), so the bench process does not become the bottleneck.
//     Aim: p99 < 50 ms, < 20 KiB per idle connection.
import WebSocket from 'ws';
import { pino } from 'pino';
import { Store } from '../src/store/index.ts';
import { createCore, systemActor } from '../src/core/index.ts';
import { startKeep, type Keep } from '../test/helpers/start-keep.ts';
import { MsHistogram, percentile } from './lib/stats.ts';
import { connectLean } from './lib/lean-ws.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const IDLE = Number(process.env.BENCH_IDLE ?? 10_000);
const SECONDS = Math.min(60, Number(process.env.BENCH_SECONDS ?? 20));
const PROBES = Number(process.env.BENCH_PROBES ?? 50);
/** how many of the clients talk (all, by default); the rest only listen */
const TALKERS = Math.min(CLIENTS, Number(process.env.BENCH_TALKERS ?? CLIENTS));
const USERS = 20;
const ROOM = 'Bench';
const CONNECT_BATCH = 250;

/** Users and the room, written through core on the server's store (LMDB allows several processes). */
async function setup(dataDir: string): Promise<void> {
  const store = Store.open({ dataDir });
  try {
    const core = createCore({
      store, log: pino({ level: 'silent' }),
      settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000 },
    });
    const actor = systemActor('bench');
    await core.rooms.create(actor, { name: ROOM, kind: 'public' });
    await Promise.all(Array.from({ length: USERS }, (_, i) => core.users.create(actor, { name: `bench${i}`, password: 'bench-pw', level: 3 })));
  } finally {
    await store.close();
  }
}

async function cookies(port: number): Promise<string[]> {
  return Promise.all(Array.from({ length: USERS }, async (_, i) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `bench${i}`, password: 'bench-pw' }),
    });
    if (res.status !== 200) throw new Error(`login bench${i}: ${res.status}`);
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }));
}

/** GET with a fresh connection: a pooled keep-alive one may have been closed by the server while
 * the bench's event loop was busy with thousands of sockets. */
async function get(url: string): Promise<string> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await (await fetch(url, { headers: { connection: 'close' } })).text();
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`GET ${url} failed: ${String((last as Error & { cause?: unknown }).cause ?? last)}`);
}

async function metric(port: number, name: string): Promise<number> {
  const text = await get(`http://127.0.0.1:${port}/metrics`);
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

/** Open one WebSocket and resolve once the server's hello has arrived. */
function connect(port: number, cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie }, perMessageDeflate: false });
    const t = setTimeout(() => reject(new Error('connect timed out')), 60_000);
    ws.once('message', () => {
      clearTimeout(t);
      resolve(ws);
    });
    ws.once('error', (err) => {
      clearTimeout(t);
      reject(err);
    });
  });
}

/** Open n connections, CONNECT_BATCH at a time; connection i uses cookie i of the jar (round robin). */
async function connectMany<T>(n: number, jar: string[], open: (cookie: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < n; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - start) }, (_, k) => open(jar[(start + k) % jar.length]!));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.terminate();
  })));
}

async function settle(port: number, want: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await metric(port, 'keep_ws_connections')) === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A full collection in the worker (test-faults endpoint), so live memory is what is measured. */
async function collect(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/debug/gc`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`/debug/gc answered ${res.status}`);
  await res.text();
}

async function idleMemory(keep: Keep, jar: string[]): Promise<void> {
  const port = keep.ports.http;
  await settle(port, 0);
  await collect(port);
  const rss0 = await metric(port, 'process_resident_memory_bytes');
  const heap0 = await metric(port, 'nodejs_heap_used_bytes');
  const t = performance.now();
  const sockets = await connectMany(IDLE, jar, (cookie) => connect(port, cookie));
  const opened = performance.now() - t;
  await new Promise((r) => setTimeout(r, 2_000)); // let the server finish its per-connection work
  await collect(port);
  const rss1 = await metric(port, 'process_resident_memory_bytes');
  const heap1 = await metric(port, 'nodejs_heap_used_bytes');
  const open = await metric(port, 'keep_ws_connections');
  const kib = (b: number) => (b / 1024).toFixed(1);
  process.stdout.write(`idle: ${open} WebSockets open (asked ${IDLE}) in ${Math.round(opened)} ms\n`);
  process.stdout.write(`idle: worker RSS ${Math.round(rss0 / 2 ** 20)} → ${Math.round(rss1 / 2 ** 20)} MiB: ${kib((rss1 - rss0) / open)} KiB per connection; V8 heap +${kib((heap1 - heap0) / open)} KiB per connection (aim < 20 KiB)\n`);
  await closeAll(sockets);
}

const SENT = Buffer.from('{"type":"sent"');
const MESSAGE = Buffer.from('{"type":"message"');
const HISTORY = Buffer.from('{"type":"history"');
const startsWith = (b: Buffer, at: number, end: number, p: Buffer) => end - at >= p.length && b.compare(p, 0, p.length, at, at + p.length) === 0;
// A line frame as render.ts writes it: {"type":"message","room":"Bench","msgnum":N,"from":"U",
// "text":"<sender's clock at sending> from <i>",…}. Read by hand, byte by byte, because every
// client times every delivery: a million a second, where a decode each would load the bench
// more than the server.
const LINE_PREFIX = Buffer.from(`{"type":"message","room":"${ROOM}","msgnum":`);
const FROM_KEY = ',"from":"'.length;
const TEXT_KEY = ',"text":"'.length;
const QUOTE = 0x22;

/** A line frame's message number and send time, or undefined for any other frame. */
function stampOf(d: Buffer, at: number, end: number): { msgnum: number; sentAt: number } | undefined {
  // {"type":"m… is a line frame: the bytes that tell it from sent, history, presence and typing
  if (d[at + 9] !== 0x6d || d[at + 10] !== 0x65) return undefined;
  let i = at + LINE_PREFIX.length;
  let msgnum = 0;
  for (; i < end && d[i]! >= 0x30 && d[i]! <= 0x39; i++) msgnum = msgnum * 10 + d[i]! - 0x30;
  i += FROM_KEY;
  while (i < end && d[i] !== QUOTE) i++; // the end of the user name (no quotes in this bench's names)
  let sentAt = 0;
  for (i += 1 + TEXT_KEY; i < end && d[i]! >= 0x30 && d[i]! <= 0x39; i++) sentAt = sentAt * 10 + d[i]! - 0x30;
  return sentAt > 0 ? { msgnum, sentAt } : undefined;
}

async function fanOut(keep: Keep, jar: string[]): Promise<void> {
  const port = keep.ports.http;
  await settle(port, 0);
  const latencies: number[] = [];
  const acks: number[] = [];
  let received = 0;
  // every delivery at every client, and per line the delivery to its last receiver
  const everyDelivery = new MsHistogram();
  const lastDelivery: number[] = []; // by message number
  // lean clients (bench/lib/lean-ws.ts): only the probes decode what they receive
  const sockets = await connectMany(CLIENTS, jar, (cookie) => connectLean(port, '/ws', { cookie }));
  // probes spread over the connection order: the server writes to sockets in that order
  const stride = Math.max(1, Math.floor(CLIENTS / PROBES));
  const fanoutWork = async () => {
    const [lines = 0, frames = 0, seconds = 0] = await Promise.all(['lines', 'frames', 'seconds'].map((k) => metric(port, `keep_ws_fanout_${k}_total`).catch(() => 0)));
    return { lines, frames, seconds };
  };
  const before = await fanoutWork();
  let cut = 0;
  for (const ws of sockets) void ws.closed.then((code) => { if (code === 1013) cut += 1; });
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => {
    ws.onText = (d, at, end) => { if (startsWith(d, at, end, HISTORY)) resolve(); };
    ws.send(JSON.stringify({ type: 'join', room: ROOM }));
  })));
  process.stdout.write(`fan-out: ${CLIENTS} clients joined ${ROOM}; ${TALKERS} of them say one line a second each for ${SECONDS} s\n`);
  // closed loop: each client says a line a second, but never has more than one unacknowledged,
  // so an overloaded server shows as a lower achieved rate rather than an unbounded backlog
  const t0 = Date.now();
  const end = t0 + SECONDS * 1000;
  let sent = 0;
  const timers: NodeJS.Timeout[] = [];
  sockets.forEach((ws, i) => {
    let lastSent = 0;
    const tick = () => {
      if (i >= TALKERS || Date.now() >= end) return;
      lastSent = Date.now();
      ws.send(JSON.stringify({ type: 'say', room: ROOM, text: `${lastSent} from ${i}`, id: lastSent }));
      sent += 1;
    };
    const isProbe = i % stride === 0 && i / stride < PROBES;
    ws.onText = (d, at, end) => {
      const line = stampOf(d, at, end);
      if (line) {
        const ms = Date.now() - line.sentAt;
        everyDelivery.add(ms);
        if (!(ms <= lastDelivery[line.msgnum]!)) lastDelivery[line.msgnum] = ms;
      }
      if (isProbe && startsWith(d, at, end, MESSAGE)) {
        const f = JSON.parse(d.toString('utf8', at, end)) as { text?: string };
        if (!f.text) return;
        received += 1;
        latencies.push(Date.now() - Number(f.text.split(' ')[0]));
      } else if (startsWith(d, at, end, SENT)) {
        if (isProbe) {
          const f = JSON.parse(d.toString('utf8', at, end)) as { id?: number };
          if (typeof f.id === 'number') acks.push(Date.now() - f.id);
        }
        timers[i] = setTimeout(tick, Math.max(0, lastSent + 1000 - Date.now()));
      }
    };
    timers[i] = setTimeout(tick, Math.random() * 1000);
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  for (const t of timers) clearTimeout(t);
  await new Promise((r) => setTimeout(r, 2_000)); // let the last lines arrive
  const s = [...latencies].sort((a, b) => a - b);
  const expected = sent * Math.min(PROBES, CLIENTS);
  process.stdout.write(`fan-out: ${sent} lines said (${Math.round(sent / SECONDS)}/s of ${TALKERS}/s asked), ${received} of ${expected} deliveries at ${PROBES} probes (${((100 * received) / Math.max(1, expected)).toFixed(1)}%), ${cut} clients cut off as slow consumers\n`);
  process.stdout.write(`fan-out latency send → receiver, ${PROBES} probes (decoded): p50 ${percentile(s, 50)} ms, p99 ${percentile(s, 99)} ms, max ${s.at(-1) ?? 0} ms\n`);
  process.stdout.write(`fan-out latency send → receiver, all ${everyDelivery.count} deliveries (${((100 * everyDelivery.count) / Math.max(1, sent * CLIENTS)).toFixed(1)}% of ${sent * CLIENTS}): p50 ${everyDelivery.percentile(50)} ms, p99 ${everyDelivery.percentile(99)} ms, max ${everyDelivery.max} ms (aim p99 < 50 ms)\n`);
  const last = lastDelivery.filter((ms) => ms !== undefined).sort((x, y) => x - y);
  process.stdout.write(`fan-out latency send → last of the ${CLIENTS} receivers, per line: p50 ${percentile(last, 50)} ms, p99 ${percentile(last, 99)} ms over ${last.length} lines\n`);
  const a = [...acks].sort((x, y) => x - y);
  const after = await fanoutWork();
  const frames = after.frames - before.frames;
  const secs = after.seconds - before.seconds;
  process.stdout.write(`server fan-out work: ${after.lines - before.lines} lines → ${frames} frames queued in ${Math.round(secs * 1000)} ms of worker time (${((1e6 * secs) / Math.max(1, frames)).toFixed(2)} µs per frame)\n`);
  process.stdout.write(`of which storing: say → sent (durable commit) p50 ${percentile(a, 50)} ms, p99 ${percentile(a, 99)} ms over ${a.length} lines\n`);
  for (const ws of sockets) ws.terminate();
  await Promise.all(sockets.map((ws) => ws.closed));
}

/** Each phase on a fresh keepd, so neither pays for the other's connections. */
async function onFreshServer(phase: (keep: Keep, jar: string[]) => Promise<void>): Promise<void> {
  const keep = await startKeep({ env: { KEEP_WS_RATE_LIMIT: '10', KEEP_TEST_FAULTS: '1' } });
  try {
    await setup(keep.dataDir);
    await phase(keep, await cookies(keep.ports.http));
  } catch (err) {
    const loud = keep.logs.filter((l) => typeof l.level === 'number' && l.level >= 40).slice(-10);
    process.stderr.write(`server warnings and errors:\n${loud.map((l) => JSON.stringify(l).slice(0, 400)).join('\n')}\n`);
    throw err;
  } finally {
    await keep.stop();
  }
}

async function main() {
  await onFreshServer(fanOut);
  if (IDLE > 0) await onFreshServer(idleMemory);
}

main().catch((err) => {
  process.stderr.write(`chat bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
