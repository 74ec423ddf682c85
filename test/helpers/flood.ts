// Heavy and hostile readers for the fair-turns tests and bench (issue 16): a raw client that
// pipelines commands and then reads nothing (or reads slowly), and a bystander that sends a no-op every 50 ms on another protocol and
// records how long each answer took.
import net from 'node:net';
import { NativeClient } from './native-client.ts';

/** A raw socket that collects what arrives, with bounded waits on it. */
export class RawClient {
  private chunks: Buffer[] = [];
  received = 0;
  isClosed = false;
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  private throttle: { bytesPerTick: number; tickMs: number } | undefined;
  /** the last bytes received, for end markers of answers too large to keep (see discard()) */
  tail = '';
  private isDiscarding = false;

  private constructor(readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      if (!this.isDiscarding) this.chunks.push(d);
      this.received += d.length;
      this.tail = (this.tail + d.toString('latin1', Math.max(0, d.length - 256))).slice(-256);
      this.wake();
      if (this.throttle) {
        // read no faster than the set rate: pause for as long as this chunk "took"
        sock.pause();
        const wait = Math.ceil((d.length / this.throttle.bytesPerTick) * this.throttle.tickMs);
        setTimeout(() => { if (!sock.destroyed) sock.resume(); }, wait).unref();
      }
    });
    sock.on('error', () => { /* a reset from the server shows as close */ });
    this.closed = new Promise((resolve) => sock.on('close', () => {
      this.isClosed = true;
      this.wake();
      resolve();
    }));
  }

  static async open(port: number): Promise<RawClient> {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('error', reject);
    });
    return new RawClient(sock);
  }

  /** Everything received so far (latin1, byte for byte). */
  text(): string {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]?.toString('latin1') ?? '';
  }

  bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Keep only counts and the tail from now on (throughput runs of hundreds of megabytes). */
  discard(): void {
    this.isDiscarding = true;
    this.chunks = [];
  }

  /** Wait until pred holds on the last bytes received, bounded. */
  async untilTail(pred: (tail: string) => boolean, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred(this.tail)) {
      if (this.isClosed) throw new Error(`closed before the expected reply; tail ${JSON.stringify(this.tail.slice(-100))}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out; tail ${JSON.stringify(this.tail.slice(-100))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Forget what was received (after a setup exchange). */
  clear(): void {
    this.chunks = [];
  }

  send(data: string | Buffer): void {
    this.sock.write(data);
  }

  /** Wait until pred holds on the received text, bounded. */
  async until(pred: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const t = this.text();
      if (pred(t)) return t;
      if (this.isClosed) throw new Error(`closed before the expected reply; got ${JSON.stringify(t.slice(-300))}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(t.slice(-300))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Stop reading altogether: the server's writes pile up in the kernel and then in the server. */
  stopReading(): void {
    this.sock.pause();
  }

  /** Read at most bytesPerTick every tickMs from now on. */
  readSlowly(bytesPerTick: number, tickMs: number): void {
    this.throttle = { bytesPerTick, tickMs };
    this.sock.resume();
  }

  resume(): void {
    this.throttle = undefined;
    this.sock.resume();
  }

  /** Resolves true if the server closed the connection within ms. */
  async closesWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([this.closed.then(() => true), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); })]);
    clearTimeout(timer);
    return r;
  }

  destroy(): void {
    this.sock.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

export const fmt = (l: Latency) => `p50 ${l.p50.toFixed(1)} / p99 ${l.p99.toFixed(1)} / max ${l.max.toFixed(1)} ms (${l.count} probes)`;

/** One no-op round trip on some protocol. */
export interface Probe {
  noop(): Promise<void>;
  close(): void;
}

/** A logged-in native client whose probe is NOOP. */
export async function nativeProbe(port: number, user: string, password: string): Promise<Probe> {
  const c = await NativeClient.connect(port, { timeoutMs: 30_000 });
  await c.login(user, password);
  return {
    async noop() {
      const r = await c.cmd('NOOP');
      if (r.code !== 200) throw new Error(`NOOP: ${r.raw}`);
    },
    close: () => c.close(),
  };
}

/** A logged-in IMAP client whose probe is NOOP. */
export async function imapProbe(port: number, user: string, password: string): Promise<Probe> {
  const c = await RawClient.open(port);
  await c.until((t) => t.includes('\r\n'));
  c.send(`a LOGIN ${user} ${password}\r\n`);
  await c.until((t) => /\r\na OK/.test(t) || t.startsWith('a OK'));
  let n = 0;
  return {
    async noop() {
      const tag = `n${++n}`;
      c.clear();
      c.send(`${tag} NOOP\r\n`);
      await c.until((t) => t.includes(`${tag} OK`), 30_000);
    },
    close: () => c.destroy(),
  };
}

/**
 * Send a probe every intervalMs (or right after the previous answer, if it was late) for
 * durationMs. With isTolerant a failed probe (the worker was killed under it) ends the run: the
 * time it waited counts as a sample and the error is returned beside the figures.
 */
export async function probeEvery(probe: Probe, intervalMs: number, durationMs: number, opts: { isTolerant?: boolean } = {}): Promise<Latency & { error?: string }> {
  const samples: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const t = performance.now();
    try {
      await probe.noop();
    } catch (err) {
      if (!opts.isTolerant) throw err;
      samples.push(performance.now() - t);
      return { ...latency(samples), error: (err as Error).message };
    }
    const took = performance.now() - t;
    samples.push(took);
    if (took < intervalMs) await new Promise((r) => setTimeout(r, intervalMs - took));
  }
  return latency(samples);
}
