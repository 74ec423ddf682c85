// The fair-turns tests' frame (issue 16): a bystander probing beside some abuse for the issue's
// 20 s, asserting what does not depend on the machine's speed (every probe answered, the worker
// never killed), a slow reader over a link like a real one, and a large post to read back.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fmt, probeEvery, type Probe } from './flood.ts';
import { NativeClient } from './native-client.ts';
import type { Keep } from './start-keep.ts';

/** How long a bystander probes beside the abuse (the 20 s). */
export const BYSTANDER_MS = 20_000;

/** Watchdog kills of the worker logged since `since` (ms since the epoch). */
export function watchdogKills(k: Keep, since: number): number {
  return k.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('worker heartbeat missing') && (l.time as number) >= since).length;
}

/**
 * A bystander's probes beside some abuse, for BYSTANDER_MS: every probe must be answered (a
 * failed or timed-out one throws), the worker is never killed or replaced. The latency figures
 * are printed, not asserted: on a shared 2-core machine they measure the neighbours too
 * (bench/fair-turns.bench.ts takes them on a quiet machine).
 */
export async function besideAbuse<T>(k: Keep, probe: Probe, label: string, abuse: () => Promise<T>): Promise<T> {
  const pid = await k.workerPid();
  const since = Date.now();
  const quiet = await probeEvery(probe, 50, 3000);
  const [loaded, result] = await Promise.all([probeEvery(probe, 50, BYSTANDER_MS), abuse()]);
  console.log(`${label}: bystander quiet ${fmt(quiet)}; beside it ${fmt(loaded)}`);
  if (loaded.count === 0) throw new Error('the bystander got no answer');
  expect(await k.workerPid()).toBe(pid);
  expect(watchdogKills(k, since)).toBe(0);
  return result;
}

/** The abuser was cut by the stall rule, after at least the stall timeout without progress. */
export async function expectCutByStall(k: Keep, proto: string, since: number, stallSeconds: number): Promise<void> {
  const cut = await k.waitForLog((l) => l.msg === 'client stopped reading; cutting it off' && l.proto === proto && (l.time as number) >= since, 60_000);
  expect(cut.stalledMs as number).toBeGreaterThanOrEqual(stallSeconds * 1000);
}

/** A slow reader was never cut off, read something while slow, and got to the end in time. */
export function expectReadToTheEnd(r: SlowRead): void {
  expect(r.isClosedDuringSlow).toBe(false);
  expect(r.slowBytes).toBeGreaterThan(0);
  expect(r.isClosed).toBe(false);
  expect(r.isTimedOut).toBe(false);
}

export interface SlowRead {
  data: Buffer;
  /** bytes taken while reading slowly */
  slowBytes: number;
  /** how often the end marker was seen */
  found: number;
  isClosedDuringSlow: boolean;
  isClosed: boolean;
  isTimedOut: boolean;
}

const SLOW_READER = join(import.meta.dirname, 'slow-reader.py');

/**
 * A client over a link like a real one (slow-reader.py says why it is not Node): it sends
 * `payload`, reads `bytesPerSecond` for `slowMs`, then at full speed until `endMarker` has been
 * seen `endCount` times (or `timeoutMs` passes, or the server closes).
 */
export async function readSlowly(opts: { port: number; payload: string | Buffer; slowMs: number; bytesPerSecond: number; endMarker: string; endCount: number; timeoutMs: number }): Promise<SlowRead> {
  const dir = await mkdtemp(join(tmpdir(), 'keep-slow-'));
  const out = join(dir, 'received');
  try {
    const args = [SLOW_READER, String(opts.port), String(opts.slowMs / 1000), String(opts.bytesPerSecond), out, Buffer.from(opts.endMarker, 'latin1').toString('hex'), String(opts.endCount), String(opts.timeoutMs / 1000)];
    const p = spawn('python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.slowMs + opts.timeoutMs + 30_000);
    const code = await new Promise<number | null>((resolve) => {
      p.on('exit', (c) => resolve(c));
      p.stdin.end(opts.payload);
    });
    clearTimeout(timer);
    if (code !== 0) throw new Error(`slow-reader.py exited ${code}: ${stderr.slice(-500)}`);
    const r = JSON.parse(stdout) as { slowBytes: number; total: number; found: number; closedDuringSlow: boolean; closed: boolean; timedOut: boolean };
    return { data: await readFile(out), slowBytes: r.slowBytes, found: r.found, isClosedDuringSlow: r.closedDuringSlow, isClosed: r.closed, isTimedOut: r.timedOut };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** About 1 MB of text: 16,000 lines of 64 characters (a large native post, NNTP article). */
export const BIG_LINES = Array.from({ length: 16_000 }, (_, i) => `${String(i).padStart(6, '0')} ${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2).slice(0, 57)}`);

/** Post BIG_LINES to the Lobby through the native protocol; its message number. */
export async function postBigText(k: Keep): Promise<number> {
  const c = await NativeClient.connect(k.ports.native, { timeoutMs: 60_000 });
  try {
    await c.login(k.adminUser, k.adminPassword);
    if ((await c.cmd('GOTO Lobby')).code !== 200) throw new Error('GOTO Lobby failed');
    if ((await c.cmd('ENT0 1||0|1|one megabyte|||||||||')).code !== 400) throw new Error('ENT0 refused');
    c.sendListing(BIG_LINES);
    const last = await c.cmd('MSGS LAST|1');
    const msgnum = Number(last.lines.at(-1));
    if (!(msgnum > 0)) throw new Error(`no message number: ${last.raw}`);
    return msgnum;
  } finally {
    c.close();
  }
}
