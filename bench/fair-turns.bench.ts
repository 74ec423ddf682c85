// Fair turns (issue 16): a bystander's NOOP latency (every 50 ms) beside each abusive pattern,
// and a heavy client's own throughput when it does read. Patterns: IMAP UID FETCH BODY.PEEK[] of
// a 2 MB message ×200 in one write, native MSG0 and NNTP ARTICLE of a 1 MB message ×200, each
// never read. BENCH_FAIR_SECONDS sets each phase (default 20, the issue's figure). The heavy
// client and the bystander share this process, so under full-speed reading the bystander's
// figures include the bench's own time spent receiving.
import { startKeep, type Keep } from '../test/helpers/start-keep.ts';
import { NativeClient } from '../test/helpers/native-client.ts';
import { RawClient, fmt, imapProbe, nativeProbe, probeEvery, type Probe } from '../test/helpers/flood.ts';

const SECONDS = Number(process.env.BENCH_FAIR_SECONDS ?? 20);
const LINES = Array.from({ length: 16_000 }, (_, i) => `${String(i).padStart(6, '0')} ${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2).slice(0, 57)}`);

function bigMessage(size: number): Buffer {
  const head = 'From: Heavy <heavy@keep.test>\r\nTo: admin@keep.test\r\nSubject: two megabytes\r\nMessage-ID: <big.bench@keep.test>\r\n\r\n';
  const line = `${'0123456789abcdefghijklmnopqrstuvwxyz'.repeat(2)}\r\n`;
  return Buffer.from(head + line.repeat(Math.ceil(size / line.length)), 'latin1');
}

async function imapSelected(keep: Keep): Promise<RawClient> {
  const c = await RawClient.open(keep.ports.imap);
  await c.until((t) => t.includes('\r\n'));
  c.send(`l LOGIN admin ${keep.adminPassword}\r\ns SELECT INBOX\r\n`);
  await c.until((t) => /(^|\r\n)s OK/.test(t));
  c.clear();
  return c;
}

async function setup(keep: Keep): Promise<{ uid: number; msgnum: number }> {
  const big = bigMessage(2 * 1024 * 1024);
  const c = await imapSelected(keep);
  c.send(Buffer.concat([Buffer.from(`p APPEND INBOX {${big.length}+}\r\n`), big, Buffer.from('\r\n')]));
  const t = await c.until((x) => /(^|\r\n)p (OK|NO|BAD)/.test(x), 120_000);
  const uid = Number(/\[APPENDUID \d+ (\d+)\]/.exec(t)?.[1]);
  c.destroy();
  const n = await NativeClient.connect(keep.ports.native, { timeoutMs: 60_000 });
  await n.login('admin', keep.adminPassword);
  await n.cmd('GOTO Lobby');
  await n.cmd('ENT0 1||0|1|one megabyte|||||||||');
  n.sendListing(LINES);
  const msgnum = Number((await n.cmd('MSGS LAST|1')).lines.at(-1));
  n.close();
  return { uid, msgnum };
}

async function nativeLoggedIn(keep: Keep): Promise<RawClient> {
  const c = await RawClient.open(keep.ports.native);
  await c.until((t) => t.includes('\n'));
  c.send(`USER admin\nPASS ${keep.adminPassword}\nGOTO Lobby\n`);
  await c.until((t) => t.split('\n').filter((l) => /^\d{3}/.test(l)).length >= 4);
  c.clear();
  return c;
}

async function nntpInLobby(keep: Keep): Promise<RawClient> {
  const c = await RawClient.open(keep.ports.nntp);
  await c.until((t) => t.includes('\r\n'));
  c.send(`AUTHINFO USER admin\r\nAUTHINFO PASS ${keep.adminPassword}\r\nGROUP keep.main-floor.lobby\r\n`);
  await c.until((t) => /\r\n211 /.test(t));
  c.clear();
  return c;
}

interface Pattern {
  name: string;
  probe(keep: Keep): Promise<Probe>;
  heavy(keep: Keep): Promise<RawClient>;
  flood: string;
}

/** The worker's pid, waiting out a restart (bounded). */
async function waitForPid(keep: Keep): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      return await keep.workerPid();
    } catch (err) {
      if (i > 300) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function run(keep: Keep, p: Pattern): Promise<void> {
  const pid = await waitForPid(keep);
  const probe = await p.probe(keep);
  try {
    const quiet = await probeEvery(probe, 50, 5000);
    const heavy = await p.heavy(keep);
    heavy.stopReading();
    heavy.send(p.flood);
    const loaded = await probeEvery(probe, 50, SECONDS * 1000, { isTolerant: true });
    const cut = heavy.isClosed || (heavy.resume(), await heavy.closesWithin(5000));
    const now = await waitForPid(keep);
    console.log(`${p.name}, never read: bystander quiet ${fmt(quiet)}; beside it ${fmt(loaded)}${loaded.error ? ` (then: ${loaded.error})` : ''}; worker ${now === pid ? 'kept' : 'KILLED and replaced'}; abuser ${cut ? 'cut off' : 'still open'}`);
    heavy.destroy();
  } finally {
    probe.close();
  }
}

/** The heavy client reading at full speed: bytes per second it receives, bystander beside it. */
async function throughput(name: string, heavy: RawClient, flood: string, endMarker: string, probe: Probe): Promise<void> {
  heavy.discard();
  const t = performance.now();
  heavy.send(flood);
  let isDone = false;
  const samples = (async () => {
    const out: number[] = [];
    while (!isDone) {
      const s = performance.now();
      await probe.noop();
      out.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 50));
    }
    return out;
  })();
  await heavy.untilTail((tail) => tail.includes(endMarker), 600_000);
  const ms = performance.now() - t;
  isDone = true;
  const lat = (await samples).sort((a, b) => a - b);
  console.log(`${name}, read at full speed: ${(heavy.received / (ms / 1000) / 2 ** 20).toFixed(1)} MiB/s (${(heavy.received / 2 ** 20).toFixed(0)} MiB in ${(ms / 1000).toFixed(1)} s); bystander beside it p50 ${lat[Math.floor(lat.length / 2)]?.toFixed(1)} / p99 ${lat[Math.floor(lat.length * 0.99)]?.toFixed(1)} / max ${lat.at(-1)?.toFixed(1)} ms`);
  heavy.destroy();
}

async function main() {
  // a stall timeout shorter than a phase, so the report shows the abuser cut off (default 60 s)
  const keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: '10' } });
  try {
    const { uid, msgnum } = await setup(keep);
    const patterns: Pattern[] = [
      { name: 'IMAP 200 × UID FETCH BODY.PEEK[] of 2 MB (bystander native)', probe: (k) => nativeProbe(k.ports.native, 'admin', k.adminPassword), heavy: imapSelected, flood: Array.from({ length: 200 }, (_, i) => `f${i} UID FETCH ${uid} BODY.PEEK[]\r\n`).join('') },
      { name: 'native 200 × MSG0 of 1 MB (bystander IMAP)', probe: (k) => imapProbe(k.ports.imap, 'admin', k.adminPassword), heavy: nativeLoggedIn, flood: `MSG0 ${msgnum}|0\n`.repeat(200) },
      { name: 'NNTP 200 × ARTICLE of 1 MB (bystander native)', probe: (k) => nativeProbe(k.ports.native, 'admin', k.adminPassword), heavy: nntpInLobby, flood: `ARTICLE ${msgnum}\r\n`.repeat(200) },
    ];
    for (const p of patterns) await run(keep, p);
    const probe = await nativeProbe(keep.ports.native, 'admin', keep.adminPassword);
    try {
      await throughput('IMAP 50 × UID FETCH BODY.PEEK[] of 2 MB', await imapSelected(keep), `${Array.from({ length: 50 }, (_, i) => `f${i} UID FETCH ${uid} BODY.PEEK[]\r\n`).join('')}z NOOP\r\n`, '\r\nz OK', probe);
      await throughput('native 50 × MSG0 of 1 MB', await nativeLoggedIn(keep), `${`MSG0 ${msgnum}|0\n`.repeat(50)}NOOP\n`, '\n200 ok', probe);
      await throughput('NNTP 50 × ARTICLE of 1 MB', await nntpInLobby(keep), `${`ARTICLE ${msgnum}\r\n`.repeat(50)}DATE\r\n`, '\r\n111 ', probe);
    } finally {
      probe.close();
    }
  } finally {
    await keep.stop();
  }
}

await main();
