// Fair turns on IMAP (issue 16): a logged-in user APPENDs a 2 MB message, pipelines 200
// UID FETCH BODY.PEEK[] of it in one write and never reads. A native bystander sends NOOP every
// 50 ms for 20 s and gets every answer, the worker is never killed, and the abusive session is
// cut off by the stall timeout. A client reading 1 KiB/s instead gets every answer intact and is
// not cut off, with the same bystander beside it. Latencies are printed, not asserted
// (helpers/fair-turns.ts says why; bench/fair-turns.bench.ts measures them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { RawClient, nativeProbe } from '../../helpers/flood.ts';
import { besideAbuse, readSlowly, expectCutByStall, expectReadToTheEnd } from '../../helpers/fair-turns.ts';

// a reader at 1 KiB/s over a real link opens its window every few seconds (slow-reader.py)
// 30 s, not less: on a busy machine a 1 KiB/s reader's progress can show only every ten seconds or more
const STALL_SECONDS = 30;
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

function fetches(n: number): string {
  let out = '';
  for (let i = 1; i <= n; i++) out += `f${i} UID FETCH ${uid} BODY.PEEK[]\r\n`;
  return out;
}

describe('IMAP pipelined FETCH of a large message', () => {
  it('leaves a native bystander alone while a client that never reads is cut off', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const heavy = await imapLogin(k.ports.imap);
    try {
      heavy.send('s SELECT INBOX\r\n');
      await heavy.until((t) => /(^|\r\n)s OK/.test(t));
      const since = Date.now();
      await besideAbuse(k, probe, 'IMAP FETCH flood, never read', async () => {
        heavy.stopReading();
        heavy.send(fetches(200));
      });
      await expectCutByStall(k, 'imap', since, STALL_SECONDS);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      // far less than 200 answers of 2 MB got out: the server stopped producing them
      expect(heavy.received).toBeLessThan(50 * BIG.length);
    } finally {
      heavy.destroy();
      probe.close();
    }
  }, 150_000);

  it('gives a client that reads 1 KiB/s every answer intact, without cutting it off', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const n = 4;
    try {
      const r = await besideAbuse(k, probe, 'IMAP FETCH flood, read at 1 KiB/s', () => readSlowly({
        port: k.ports.imap, payload: `l LOGIN admin admin-secret\r\ns SELECT INBOX\r\n${fetches(n)}`,
        slowMs: 20_000, bytesPerSecond: 1024, endMarker: `\r\nf${n} `, endCount: 1, timeoutMs: 120_000,
      }));
      expectReadToTheEnd(r);
      const text = r.data.toString('latin1');
      const body = BIG.toString('latin1');
      const literal = `BODY[] {${BIG.length}}\r\n`;
      let at = 0;
      for (let i = 1; i <= n; i++) {
        at = text.indexOf(literal, at);
        expect(at).toBeGreaterThanOrEqual(0);
        at += literal.length;
        expect(text.slice(at, at + BIG.length) === body).toBe(true);
        at += BIG.length;
        expect(text.slice(at)).toMatch(new RegExp(`^\\)\\r\\nf${i} OK`));
      }
    } finally {
      probe.close();
    }
  }, 240_000);
});
