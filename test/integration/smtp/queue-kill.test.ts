// The outbound queue survives kill -9: messages accepted for a remote server that is down are
// all delivered after the worker is killed and replaced, once the remote server comes up.
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { message, startMailKeep } from './fixture.ts';
import { startSink } from './sink.ts';

const N = 8;

describe('SMTP outbound queue under kill -9', () => {
  it('delivers every queued message after the worker is killed', async () => {
    const reserved = await startSink();
    const port = reserved.port;
    await reserved.close(); // the "remote MX" is down: connections are refused
    const k = await startMailKeep({ env: { KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${port}`, KEEP_QUEUE_RETRY_MIN: '1' } });
    try {
      const t = k.submission('alice', 'alice-pw');
      for (let i = 0; i < N; i++) {
        const info = await t.sendMail({ envelope: { from: 'alice@keep.test', to: [`r${i}@remote.test`] }, raw: message({ from: 'alice@keep.test', to: `r${i}@remote.test`, subject: `queued ${i}` }) });
        expect(info.response).toMatch(/^250 /);
      }
      const system = systemActor('test');
      // every entry has been tried at least once and deferred
      await k.until(() => { const q = k.core.delivery.queue.list(system); return q.length === N && q.every((e) => e.attempts >= 1); });
      const oldPid = await k.keep.workerPid();
      process.kill(oldPid, 'SIGKILL');
      const deadline = Date.now() + 90_000; // the replacement loads the code: seconds on a busy machine
      let newPid = oldPid;
      while (newPid === oldPid && Date.now() < deadline) {
        newPid = await k.keep.workerPid().catch(() => oldPid);
        if (newPid === oldPid) await new Promise((r) => setTimeout(r, 100));
      }
      expect(newPid).not.toBe(oldPid);
      expect(k.core.delivery.queue.list(system).length).toBe(N);
      const sink = await startSink(port);
      try {
        await k.until(() => sink.received.length >= N, 20_000);
        expect(new Set(sink.received.flatMap((m) => m.to))).toEqual(new Set(Array.from({ length: N }, (_, i) => `r${i}@remote.test`)));
        await k.until(() => k.core.delivery.queue.list(system).length === 0);
        const check = await k.keep.cli(['check']);
        expect(check.stdout).toContain('store is consistent');
      } finally {
        await sink.close();
      }
    } finally {
      await k.stop();
    }
  });
});
