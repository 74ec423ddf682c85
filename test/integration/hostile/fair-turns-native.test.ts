// Fair turns on the native protocol (issue 16): a client pipelines MSG0 of a 1 MB message ×200
// and never reads, while an IMAP bystander sends NOOP every 50 ms for 20 s: every NOOP is
// answered, the worker is never killed, and the abuser is cut off by the stall timeout. A client
// reading 1 KiB/s instead gets every answer intact and is not cut off. Latencies are printed, not
// asserted (helpers/fair-turns.ts says why; bench/fair-turns.bench.ts measures them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { RawClient, imapProbe } from '../../helpers/flood.ts';
import { BIG_LINES, besideAbuse, postBigText, readSlowly, expectCutByStall, expectReadToTheEnd } from '../../helpers/fair-turns.ts';

// a reader at 1 KiB/s over a real link opens its window every few seconds (slow-reader.py)
// 30 s, not less: on a busy machine a 1 KiB/s reader's progress can show only every ten seconds or more
const STALL_SECONDS = 30;
let keep: Keep | undefined;
let msgnum = 0;

afterAll(async () => { await keep?.stop(); }, 30_000);

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: String(STALL_SECONDS) } });
  msgnum = await postBigText(keep);
}, 120_000);

const login = () => `USER ${keep!.adminUser}\nPASS ${keep!.adminPassword}\nGOTO Lobby\n`;

describe('native MSG0 of a large message, pipelined', () => {
  it('leaves an IMAP bystander alone while a client that never reads is cut off', async () => {
    const k = keep!;
    const probe = await imapProbe(k.ports.imap, k.adminUser, k.adminPassword);
    const heavy = await RawClient.open(k.ports.native);
    try {
      await heavy.until((t) => t.includes('\n'));
      heavy.send(login());
      await heavy.until((t) => t.split('\n').filter((l) => /^\d{3}/.test(l)).length >= 4);
      const since = Date.now();
      await besideAbuse(k, probe, 'native MSG0 flood, never read', async () => {
        heavy.stopReading();
        heavy.send(`MSG0 ${msgnum}|0\n`.repeat(200));
      });
      await expectCutByStall(k, 'native', since, STALL_SECONDS);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      expect(heavy.received).toBeLessThan(50 * 1_000_000);
    } finally {
      heavy.destroy();
      probe.close();
    }
  }, 150_000);

  it('gives a client that reads 1 KiB/s every answer intact, without cutting it off', async () => {
    const k = keep!;
    const probe = await imapProbe(k.ports.imap, k.adminUser, k.adminPassword);
    const n = 4;
    try {
      const r = await besideAbuse(k, probe, 'native MSG0 flood, read at 1 KiB/s', () => readSlowly({
        port: k.ports.native, payload: `${login()}${`MSG0 ${msgnum}|0\n`.repeat(n)}`,
        slowMs: 20_000, bytesPerSecond: 1024, endMarker: '\n000\n', endCount: n, timeoutMs: 120_000,
      }));
      expectReadToTheEnd(r);
      // greeting and the three login replies, then the answers
      const answers = r.data.toString('utf8').split('\n000\n').slice(0, n);
      answers[0] = answers[0]!.split('\n').slice(4).join('\n');
      for (const a of answers) {
        const lines = a.split('\n');
        expect(lines[0]).toMatch(/^100 /);
        expect(lines.slice(lines.indexOf('text') + 1)).toEqual(BIG_LINES);
      }
    } finally {
      probe.close();
    }
  }, 240_000);
});
