// Fair turns on IMAP (issue 16): a logged-in user APPENDs a 2 MB message, pipelines 200
// UID FETCH BODY.PEEK[] of it in one write and never reads. The worker keeps serving a native
// bystander (NOOP every 50 ms; its latency is compared with a quiet baseline taken in the same
// test), the abusive session is cut off by the stall timeout, and a client that reads slowly
// gets every answer intact. The bystander phases are 6 s, not the 20 s, to keep the
// suite fast; bench/fair-turns.bench.ts runs the long version and prints absolute figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { RawClient, fmt, nativeProbe, probeEvery, withinBounds } from '../../helpers/flood.ts';

// small enough to see the cut in the test, large enough that a slow reader descheduled for a
// few seconds on a loaded machine still counts as reading
const STALL_SECONDS = 5;
const BIG = bigMessage(2 * 1024 * 1024);
let keep: Keep | undefined;
let uid = 0;

afterAll(async () => { await keep?.stop(); }, 30_000);

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: String(STALL_SECONDS) } });
  const c = await imapLogin(keep.ports.imap);
  c.send(Buffer.concat([Buffer.from(`p APPEND INBOX {${BIG.length}+}\r\n`), BIG, Buffer.from('\r\n')]));
  const t = await c.until((x) => /(^|\r\n)p (OK|NO|BAD)/.test(x), 60_000);
  const m = /\[APPENDUID \d+ (\d+)\]/.exec(t);
  if (!m) throw new Error(`APPEND failed: ${t.slice(-200)}`);
  uid = Number(m[1]);
  c.destroy();
}, 120_000);

function bigMessage(size: number): Buffer {
  const head = 'From: Heavy <heavy@keep.test>\r\nTo: admin@keep.test\r\nSubject: two megabytes\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nMessage-ID: <big.fair-turns@keep.test>\r\n\r\n';
  const line = `${'0123456789abcdefghijklmnopqrstuvwxyz'.repeat(2)}\r\n`;
  return Buffer.from(head + line.repeat(Math.ceil(size / line.length)), 'latin1');
}

async function imapLogin(port: number): Promise<RawClient> {
  const c = await RawClient.open(port);
  await c.until((t) => t.includes('\r\n'));
  c.send(`l LOGIN admin admin-secret\r\n`);
  await c.until((t) => /(^|\r\n)l OK/.test(t));
  c.clear();
  return c;
}

async function selected(port: number): Promise<RawClient> {
  const c = await imapLogin(port);
  c.send('s SELECT INBOX\r\n');
  await c.until((t) => /(^|\r\n)s OK/.test(t));
  c.clear();
  return c;
}

function fetches(n: number): string {
  let out = '';
  for (let i = 1; i <= n; i++) out += `f${i} UID FETCH ${uid} BODY.PEEK[]\r\n`;
  return out;
}

describe('IMAP pipelined FETCH of a large message', () => {
  it('leaves a native bystander alone while a client that never reads is cut off', async () => {
    const k = keep!;
    const pid = await k.workerPid();
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    try {
      const quiet = await probeEvery(probe, 50, 3000);
      const heavy = await selected(k.ports.imap);
      heavy.stopReading();
      const since = Date.now();
      heavy.send(fetches(200));
      const loaded = await probeEvery(probe, 50, 8000);
      console.log(`IMAP FETCH flood: bystander quiet ${fmt(quiet)}; loaded ${fmt(loaded)}`);
      const b = withinBounds(quiet, loaded);
      expect(b.isOk, b.why).toBe(true);
      expect(await k.workerPid()).toBe(pid);
      const cut = await k.waitForLog((l) => l.msg === 'client stopped reading; cutting it off' && l.proto === 'imap' && (l.time as number) >= since, 20_000);
      expect(cut.stalledMs as number).toBeGreaterThanOrEqual(STALL_SECONDS * 1000);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      // far less than 200 answers of 2 MB got out: the server stopped producing them
      expect(heavy.received).toBeLessThan(50 * BIG.length);
    } finally {
      probe.close();
    }
  }, 90_000);

  it('gives a client that reads slowly every answer intact, without cutting it off', async () => {
    const k = keep!;
    const c = await selected(k.ports.imap);
    const n = 4;
    // 64 KiB per 25 ms at most; much slower in practice on a loaded machine, with pauses
    c.readSlowly(64 * 1024, 25);
    c.send(fetches(n));
    const text = await c.until((t) => t.includes(`\r\nf${n} `), 100_000);
    const body = BIG.toString('latin1');
    for (let i = 1; i <= n; i++) expect(text).toMatch(new RegExp(`\\r\\nf${i} OK`));
    const literal = `BODY[] {${BIG.length}}\r\n`;
    let at = 0;
    for (let i = 0; i < n; i++) {
      at = text.indexOf(literal, at);
      expect(at).toBeGreaterThanOrEqual(0);
      at += literal.length;
      expect(text.slice(at, at + BIG.length) === body).toBe(true);
      at += BIG.length;
    }
    expect(c.isClosed).toBe(false);
    c.destroy();
  }, 150_000);
});
