// Fair turns on native, NNTP and WebSocket (issue 16; IMAP has its own file): one client
// pipelines heavy requests and never reads (native MSG0 and NNTP ARTICLE of a 1 MB message ×200,
// WebSocket history at the allowed frame rate), while a bystander on another protocol sends a
// no-op every 50 ms. The worker's pid does not change, the bystander's latency stays within the
// bounds of helpers/flood.ts against a quiet baseline taken in the same test, and the abusive
// connection is cut off. Bystander phases are 8 s, not the 20 s, to keep the suite fast;
// bench/fair-turns.bench.ts prints the absolute figures. A slow native reader gets every answer.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { RawClient, fmt, imapProbe, nativeProbe, probeEvery, withinBounds, type Probe } from '../../helpers/flood.ts';
import { webCookie } from '../../helpers/many-connections.ts';

const STALL_SECONDS = 5;
const LOBBY_GROUP = 'keep.main-floor.lobby';
/** about 1 MB of text: 16,000 lines of 64 characters */
const BIG_LINES = Array.from({ length: 16_000 }, (_, i) => `${String(i).padStart(6, '0')} ${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2).slice(0, 57)}`);
let keep: Keep | undefined;
let msgnum = 0;

afterAll(async () => { await keep?.stop(); }, 30_000);

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_SESSION_STALL_TIMEOUT: String(STALL_SECONDS) } });
  const c = await NativeClient.connect(keep.ports.native, { timeoutMs: 60_000 });
  try {
    await c.login(keep.adminUser, keep.adminPassword);
    expect((await c.cmd('GOTO Lobby')).code).toBe(200);
    expect((await c.cmd('ENT0 1||0|1|one megabyte|||||||||')).code).toBe(400);
    c.sendListing(BIG_LINES);
    const last = await c.cmd('MSGS LAST|1');
    msgnum = Number(last.lines.at(-1));
    expect(msgnum).toBeGreaterThan(0);
  } finally {
    c.close();
  }
}, 120_000);

async function phase(probe: Probe, abuse: () => Promise<void>): Promise<void> {
  const k = keep!;
  const pid = await k.workerPid();
  const quiet = await probeEvery(probe, 50, 3000);
  await abuse();
  const loaded = await probeEvery(probe, 50, 8000);
  console.log(`${expect.getState().currentTestName}: bystander quiet ${fmt(quiet)}; loaded ${fmt(loaded)}`);
  const b = withinBounds(quiet, loaded);
  expect(b.isOk, b.why).toBe(true);
  expect(await k.workerPid()).toBe(pid);
}

async function nativeHeavy(port: number): Promise<RawClient> {
  const c = await RawClient.open(port);
  await c.until((t) => t.includes('\n'));
  c.send(`USER ${keep!.adminUser}\nPASS ${keep!.adminPassword}\nGOTO Lobby\n`);
  await c.until((t) => t.split('\n').filter((l) => /^\d{3}/.test(l)).length >= 4);
  c.clear();
  return c;
}

describe('native MSG0 of a large message, pipelined', () => {
  it('leaves an IMAP bystander alone while a client that never reads is cut off', async () => {
    const k = keep!;
    const probe = await imapProbe(k.ports.imap, k.adminUser, k.adminPassword);
    try {
      const heavy = await nativeHeavy(k.ports.native);
      const since = Date.now();
      await phase(probe, async () => {
        heavy.stopReading();
        heavy.send(`MSG0 ${msgnum}|0\n`.repeat(200));
      });
      await k.waitForLog((l) => l.msg === 'client stopped reading; cutting it off' && l.proto === 'native' && (l.time as number) >= since, 30_000);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      expect(heavy.received).toBeLessThan(50 * 1_000_000);
    } finally {
      probe.close();
    }
  }, 120_000);

  it('gives a client that reads slowly every answer intact', async () => {
    const c = await nativeHeavy(keep!.ports.native);
    const n = 4;
    c.readSlowly(64 * 1024, 25);
    c.send(`MSG0 ${msgnum}|0\n`.repeat(n));
    const text = await c.until((t) => t.split('\n000\n').length > n, 100_000);
    const answers = text.split('\n000\n').slice(0, n);
    for (const a of answers) {
      const lines = a.split('\n');
      expect(lines[0]).toMatch(/^100 /);
      const textStart = lines.indexOf('text');
      expect(lines.slice(textStart + 1)).toEqual(BIG_LINES);
    }
    expect(c.isClosed).toBe(false);
    c.destroy();
  }, 150_000);
});

describe('NNTP ARTICLE of a large article, pipelined', () => {
  it('leaves a native bystander alone while a client that never reads is cut off', async () => {
    const k = keep!;
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    try {
      const heavy = await RawClient.open(k.ports.nntp);
      await heavy.until((t) => t.includes('\r\n'));
      heavy.send(`AUTHINFO USER ${k.adminUser}\r\nAUTHINFO PASS ${k.adminPassword}\r\nGROUP ${LOBBY_GROUP}\r\n`);
      await heavy.until((t) => /\r\n211 /.test(t));
      heavy.clear();
      const since = Date.now();
      await phase(probe, async () => {
        heavy.stopReading();
        heavy.send(`ARTICLE ${msgnum}\r\n`.repeat(200));
      });
      await k.waitForLog((l) => l.msg === 'client stopped reading; cutting it off' && l.proto === 'nntp' && (l.time as number) >= since, 30_000);
      heavy.resume();
      expect(await heavy.closesWithin(10_000)).toBe(true);
      expect(heavy.received).toBeLessThan(50 * 1_000_000);
    } finally {
      probe.close();
    }
  }, 120_000);
});

describe('WebSocket history requests without reading', () => {
  it('leaves a native bystander alone while the client that never reads is cut off', async () => {
    const k = keep!;
    const cookie = await webCookie(k, k.adminUser, k.adminPassword);
    // fifty chat lines of 2,000 characters: every history answer is about 100 KB
    const talker = new WebSocket(`ws://127.0.0.1:${k.ports.http}/ws`, { headers: { cookie } });
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
    talker.close();
    const probe = await nativeProbe(k.ports.native, k.adminUser, k.adminPassword);
    const heavy = new WebSocket(`ws://127.0.0.1:${k.ports.http}/ws`, { headers: { cookie } });
    heavy.on('error', () => { /* cut off by the server: expected */ });
    const closed = new Promise<void>((resolve) => heavy.once('close', () => resolve()));
    await new Promise((resolve, reject) => { heavy.once('open', resolve); heavy.once('error', reject); });
    let iv: NodeJS.Timeout | undefined;
    try {
      const since = Date.now();
      await phase(probe, async () => {
        (heavy as unknown as { _socket: { pause(): void } })._socket.pause();
        // as fast as the frame rate limit allows, so no request is refused and each is answered
        iv = setInterval(() => { if (heavy.readyState === WebSocket.OPEN) heavy.send(JSON.stringify({ type: 'join', room: 'Lobby', since: 0 })); }, 110);
      });
      await k.waitForLog((l) => (l.msg === 'client stopped reading; cutting it off' || l.msg === 'slow consumer cut off') && (l.time as number) >= since, 40_000);
      (heavy as unknown as { _socket: { resume(): void } })._socket.resume();
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the WebSocket was not closed')), 15_000))]);
    } finally {
      clearInterval(iv);
      heavy.terminate();
      probe.close();
    }
  }, 150_000);
});
