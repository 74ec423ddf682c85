// Durable posts per second through core (1, 10, 100 concurrent writers, 4 KiB bodies) against
// a raw lmdb put of the same bytes with the same durability, measured in the same run (issue 2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type Key } from 'lmdb';
import { pino } from 'pino';
import { Store } from '../src/store/index.ts';
import { createCore, systemActor, BASE_ROOM } from '../src/core/index.ts';
import { summarize } from './lib/stats.ts';

const BODY = 'x'.repeat(4096);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WRITERS = [1, 10, 100];

/** Run `writers` loops of op for SECONDS; each op's latency counts once it resolved. */
async function drive(writers: number, op: (w: number, i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; performance.now() < end; i++) {
      const t = performance.now();
      await op(w, i);
      latencies.push(performance.now() - t);
    }
  }));
  return summarize(latencies, performance.now() - started);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'keep-bench-core-'));
  const store = Store.open({ dataDir: join(dir, 'core') });
  const core = createCore({
    store, log: pino({ level: 'silent' }),
    settings: { domain: 'bench.test', localDomains: [], nodeName: 'bench', humanNode: 'Bench', maxMessageSize: 10_000_000, newUserLevel: 3, softDeleteMs: 1000 },
  });
  await core.seed({ name: 'admin', password: 'bench' });
  const actor = systemActor('bench');
  const lobby = core.rooms.findByName(actor, BASE_ROOM)!;
  const raw = open({ path: join(dir, 'raw'), mapSize: 256 * 1024 * 1024 });
  const rawDb = raw.openDB<Buffer, number>({ name: 'bodies', encoding: 'binary' });
  const bytes = Buffer.from(BODY);
  let rawKey = 0;
  // the records a post writes, written with raw lmdb and no logic: what the data model costs
  const model = open({ path: join(dir, 'model'), mapSize: 256 * 1024 * 1024, maxDbs: 8 });
  const mdb = Object.fromEntries(['meta', 'messages', 'bodies', 'ids', 'lists', 'rooms', 'journal'].map((n) => [n, model.openDB<unknown, Key>({ name: n, encoding: n === 'bodies' ? 'binary' : 'msgpack' })]));
  const sample = (await core.messages.post(actor, { roomnum: lobby.roomnum, subject: 'sample', text: BODY }));
  const sampleRoom = store.dbs.rooms.get(lobby.roomnum)!;
  let next = 1;
  const modelPost = () => model.transaction(() => {
    const n = next++;
    mdb.meta!.putSync('counters', { nextMessage: n + 1, nextUser: 2, nextRoom: 4, nextFloor: 1, modseq: n + 1, auditSeq: 1 });
    mdb.messages!.putSync(n, { ...sample, msgnum: n, refcount: 1 });
    mdb.bodies!.putSync(n, bytes);
    mdb.ids!.putSync(`<${n}@bench.test>`, n);
    mdb.lists!.putSync([1, n], { arrived: Date.now(), modseq: n });
    mdb.rooms!.putSync(1, { ...sampleRoom, highest: n, count: n });
    mdb.journal!.putSync(n, { roomnum: 1, msgnum: n, kind: 'placed' });
  });

  console.log(`durable posts through core vs raw lmdb put (4 KiB, ${SECONDS} s per run); "model": raw lmdb writing the 7 records a post stores, no logic`);
  console.log('writers  core posts/s  p50 ms  p99 ms   raw puts/s  p50 ms  p99 ms   core/raw   model/s  core/model');
  for (const w of WRITERS) {
    const c = await drive(w, (wi, i) => core.messages.post(actor, { roomnum: lobby.roomnum, subject: `w${wi} #${i}`, text: BODY }));
    const r = await drive(w, async () => {
      await rawDb.put(rawKey++, bytes);
      await raw.flushed;
    });
    const m = await drive(w, async () => {
      await modelPost();
      await model.flushed;
    });
    const ratio = (c.perSecond / r.perSecond).toFixed(2);
    console.log(`${String(w).padStart(7)}  ${String(c.perSecond).padStart(12)}  ${String(c.p50).padStart(6)}  ${String(c.p99).padStart(6)}   ${String(r.perSecond).padStart(10)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}   ${ratio.padStart(8)}   ${String(m.perSecond).padStart(7)}  ${(c.perSecond / m.perSecond).toFixed(2).padStart(10)}`);
  }
  await model.close();
  await store.close();
  await raw.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
