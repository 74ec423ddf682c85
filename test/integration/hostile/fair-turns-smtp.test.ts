// The output bound on SMTP (issue 16): smtp-server writes the socket itself and runs no further
// command while its socket needs draining; the output guard adds the stall rule. A client
// pipelines 150,000 HELP commands (about 9 MB of replies) and never reads: the server stops
// answering, a native bystander sending NOOP every 50 ms for 20 s gets every answer, the worker
// is never killed, and the client is cut off by the stall timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { RawClient, nativeProbe } from '../../helpers/flood.ts';
import { besideAbuse, expectCutByStall } from '../../helpers/fair-turns.ts';

const STALL_SECONDS = 15;
const HELPS = 150_000;
let keep: Keep | undefined;

afterAll(async () => { await keep?.stop(); }, 30_000);
beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: String(STALL_SECONDS) } });
}, 120_000);

describe('SMTP pipelined commands, never read', () => {
  it('stops answering a client that does not read and cuts it off by the stall timeout', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const heavy = await RawClient.open(k.ports.smtp);
    try {
      await heavy.until((t) => /^220 /m.test(t));
      heavy.send('EHLO flood.example\r\n');
      await heavy.until((t) => /^250 /m.test(t));
      heavy.clear();
      const since = Date.now();
      await besideAbuse(k, probe, 'SMTP HELP flood, never read', async () => {
        heavy.stopReading();
        heavy.send('HELP\r\n'.repeat(HELPS));
      });
      await expectCutByStall(k, 'smtp', since, STALL_SECONDS);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      // the server stopped answering: far fewer replies than commands reached the client
      const replies = heavy.text().split('\r\n').filter((l) => l.startsWith('214 ')).length;
      expect(replies).toBeLessThan(HELPS);
    } finally {
      heavy.destroy();
      probe.close();
    }
  }, 150_000);
});
