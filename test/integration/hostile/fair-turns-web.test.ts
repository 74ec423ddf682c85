// Fair turns on WebSocket (issue 16): a client asks for a room's history (about 100 KB each) as
// fast as the frame rate allows and never reads, while a native bystander sends NOOP every 50 ms
// for 20 s: every NOOP is answered, the worker is never killed, and the client is cut off by the
// stall timeout, as on every protocol (its own requests wait above the output bound; the
// KEEP_WS_MAX_BUFFERED ceiling is for others' live traffic only). Latencies are printed, not
// asserted (helpers/fair-turns.ts says why; bench/fair-turns.bench.ts measures them).
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { nativeProbe } from '../../helpers/flood.ts';
import { besideAbuse, expectCutByStall } from '../../helpers/fair-turns.ts';
import { webCookie } from '../../helpers/many-connections.ts';

const STALL_SECONDS = 15;
let keep: Keep | undefined;
let cookie = '';

afterAll(async () => { await keep?.stop(); }, 30_000);

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: String(STALL_SECONDS) } });
  cookie = await webCookie(keep, keep.adminUser, keep.adminPassword);
  // fifty chat lines of 2,000 characters: every history answer is about 100 KB
  const talker = new WebSocket(`ws://127.0.0.1:${keep.ports.http}/ws`, { headers: { cookie } });
  try {
    await new Promise((resolve, reject) => { talker.once('open', resolve); talker.once('error', reject); });
    let sent = 0;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${sent} chat lines confirmed`)), 60_000);
      talker.on('message', (d) => {
        if ((JSON.parse(String(d)) as { type: string }).type === 'sent' && ++sent === 50) { clearTimeout(t); resolve(); }
      });
      talker.send(JSON.stringify({ type: 'join', room: 'Lobby' }));
      let i = 0;
      const iv = setInterval(() => {
        if (i >= 50) return clearInterval(iv);
        talker.send(JSON.stringify({ type: 'say', room: 'Lobby', text: `${i++} ${'x'.repeat(1990)}`, id: i }));
      }, 120);
    });
  } finally {
    talker.terminate();
  }
}, 120_000);

describe('WebSocket history requests without reading', () => {
  it('leaves a native bystander alone while the client that never reads is cut off by the stall timeout', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const heavy = new WebSocket(`ws://127.0.0.1:${k.ports.http}/ws`, { headers: { cookie } });
    heavy.on('error', () => { /* cut off by the server: expected */ });
    const closed = new Promise<void>((resolve) => heavy.once('close', () => resolve()));
    let iv: NodeJS.Timeout | undefined;
    try {
      await new Promise((resolve, reject) => { heavy.once('open', resolve); heavy.once('error', reject); });
      const since = Date.now();
      await besideAbuse(k, probe, 'WebSocket history flood, never read', async () => {
        (heavy as unknown as { _socket: { pause(): void } })._socket.pause();
        // as fast as the frame rate limit allows, so no request is refused and each is answered
        iv = setInterval(() => { if (heavy.readyState === WebSocket.OPEN) heavy.send(JSON.stringify({ type: 'join', room: 'Lobby', since: 0 })); }, 110);
      });
      await expectCutByStall(k, 'chat', since, STALL_SECONDS);
      expect(k.logs.some((l) => l.msg === 'slow consumer cut off' && (l.time as number) >= since)).toBe(false);
      (heavy as unknown as { _socket: { resume(): void } })._socket.resume();
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the WebSocket was not closed')), 15_000))]);
    } finally {
      clearInterval(iv);
      heavy.terminate();
      probe.close();
    }
  }, 150_000);
});
