// Fair turns on NNTP (issue 16): a client pipelines ARTICLE of a 1 MB article ×200 and never
// reads, while a native bystander sends NOOP every 50 ms for 20 s: every NOOP is answered, the
// worker is never killed, and the abuser is cut off by the stall timeout. A client reading
// 1 KiB/s instead gets every article intact and is not cut off. Latencies are printed, not
// asserted (helpers/fair-turns.ts says why; bench/fair-turns.bench.ts measures them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { RawClient, nativeProbe } from '../../helpers/flood.ts';
import { BIG_LINES, besideAbuse, postBigText, readSlowly, expectCutByStall, expectReadToTheEnd } from '../../helpers/fair-turns.ts';

// a reader at 1 KiB/s over a real link opens its window every few seconds (slow-reader.py)
// 30 s, not less: on a busy machine a 1 KiB/s reader's progress can show only every ten seconds or more
const STALL_SECONDS = 30;
const LOBBY_GROUP = 'keep.main-floor.lobby';
let keep: Keep | undefined;
let msgnum = 0;

afterAll(async () => { await keep?.stop(); }, 30_000);

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: String(STALL_SECONDS) } });
  msgnum = await postBigText(keep);
}, 120_000);

const login = () => `AUTHINFO USER ${keep!.adminUser}\r\nAUTHINFO PASS ${keep!.adminPassword}\r\nGROUP ${LOBBY_GROUP}\r\n`;

describe('NNTP ARTICLE of a large article, pipelined', () => {
  it('leaves a native bystander alone while a client that never reads is cut off', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const heavy = await RawClient.open(k.ports.nntp);
    try {
      await heavy.until((t) => t.includes('\r\n'));
      heavy.send(login());
      await heavy.until((t) => /\r\n211 /.test(t));
      const since = Date.now();
      await besideAbuse(k, probe, 'NNTP ARTICLE flood, never read', async () => {
        heavy.stopReading();
        heavy.send(`ARTICLE ${msgnum}\r\n`.repeat(200));
      });
      await expectCutByStall(k, 'nntp', since, STALL_SECONDS);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      expect(heavy.received).toBeLessThan(50 * 1_000_000);
    } finally {
      heavy.destroy();
      probe.close();
    }
  }, 150_000);

  it('gives a client that reads 1 KiB/s every article intact, without cutting it off', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const n = 4;
    try {
      const r = await besideAbuse(k, probe, 'NNTP ARTICLE flood, read at 1 KiB/s', () => readSlowly({
        port: k.ports.nntp, payload: `${login()}${`ARTICLE ${msgnum}\r\n`.repeat(n)}`,
        slowMs: 20_000, bytesPerSecond: 1024, endMarker: '\r\n.\r\n', endCount: n, timeoutMs: 120_000,
      }));
      expectReadToTheEnd(r);
      const text = r.data.toString('utf8');
      const articles = text.split('\r\n.\r\n').slice(0, n);
      // greeting, AUTHINFO ×2 and GROUP, then the articles
      articles[0] = articles[0]!.split('\r\n').slice(4).join('\r\n');
      for (const a of articles) {
        expect(a).toMatch(new RegExp(`^220 ${msgnum} `));
        const body = a.slice(a.indexOf('\r\n\r\n') + 4).split('\r\n');
        expect(body).toEqual(BIG_LINES);
      }
    } finally {
      probe.close();
    }
  }, 240_000);
});
