// keepd queue list|retry|delete against a running server: entries waiting for a remote server
// that is down are listed, one is deleted (audited, no bounce), and retry makes the rest due
// at once instead of after the 5-minute backoff.
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { message, startMailKeep } from './fixture.ts';
import { startSink } from './sink.ts';

describe('keepd queue', () => {
  it('lists, deletes and retries queued mail', async () => {
    const reserved = await startSink();
    const port = reserved.port;
    await reserved.close();
    const k = await startMailKeep({ env: { KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${port}`, KEEP_QUEUE_RETRY_MIN: '300' } });
    try {
      const t = k.submission('bob', 'bob-pw');
      for (const to of ['keep@remote.test', 'drop@remote.test']) {
        await t.sendMail({ envelope: { from: 'bob@keep.test', to: [to] }, raw: message({ from: 'bob@keep.test', to, subject: to }) });
      }
      type Entry = { msgnum: number; recipient: string; attempts: number; lastError?: string };
      const listed = async () => JSON.parse((await k.keep.cli(['queue', 'list', '--json'])).stdout) as Entry[];
      const system = systemActor('test');
      await k.until(() => { const q = k.core.delivery.queue.list(system); return q.length === 2 && q.every((e) => e.attempts >= 1); });
      const entries = await listed();
      expect(entries.map((e) => e.recipient).sort()).toEqual(['drop@remote.test', 'keep@remote.test']);
      expect(entries[0]!.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
      const drop = entries.find((e) => e.recipient === 'drop@remote.test')!;
      const del = await k.keep.cli(['queue', 'delete', String(drop.msgnum)]);
      expect(del.stdout).toContain('1 queue entry');
      expect((await k.keep.cli(['queue', 'delete', String(drop.msgnum)])).code).toBe(1);
      const sink = await startSink(port);
      try {
        const retry = await k.keep.cli(['queue', 'retry']);
        expect(retry.stdout).toContain('1 queue entry due now');
        await k.until(() => sink.received.length === 1, 15_000);
        expect(sink.received[0]!.to).toEqual(['keep@remote.test']);
        expect((await k.keep.cli(['queue', 'list'])).stdout).toContain('0 queued');
        const audit = (await k.keep.cli(['audit'])).stdout;
        expect(audit).toMatch(/queue\.delete/);
        expect(audit).toMatch(/queue\.retry/);
        expect(k.mailbox('bob').length).toBe(0); // deleted without a bounce
      } finally {
        await sink.close();
      }
    } finally {
      await k.stop();
    }
  }, 240_000);
});
