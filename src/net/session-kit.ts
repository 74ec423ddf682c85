// The session kit (issue 16): one connection's byte plumbing for every line protocol (native,
// IMAP, NNTP). It owns the socket and what sits on it (TLS now or after STARTTLS, a codec such
// as DEFLATE), the input pump (bytes → the translator's framer → a bounded queue of items run
// one at a time, in order), the output bound with backpressure, fair turns, the idle and
// slow-line timers, the stall cut-off and cleanup. It knows no protocol words: what an item is,
// how to run one and what to say on the way out are the translator's hooks. The output side
// (pieces, the unsent count, the stall watch) is session-output.ts; the limits, session-limits.ts.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../log/index.ts';
import { upgradeToTls, type TlsMaterial } from './tls.ts';
import { lineClock, type LineClock } from './slow-line-guard.ts';
import { Slice, nextTurn } from './turns.ts';
import { currentWork, type WorkRecord } from './current-work.ts';
import { SessionOutput, type Codec } from './session-output.ts';
import type { CutReason, KitLimits } from './session-limits.ts';

export { kitLimits, type CutReason, type KitLimits } from './session-limits.ts';
export type { Codec } from './session-output.ts';

export interface KitHooks<Item> {
  /** cleartext bytes in → complete items (commands, text lines); may write (IMAP "+ Ready") */
  frame(chunk: Buffer): Item[];
  /** run one item; the next starts only after it resolves and the client has room for more */
  run(item: Item): Promise<void> | void;
  /** the last line for a cut-off, as wire text; undefined closes without one */
  farewell(reason: CutReason): string | Buffer | undefined;
  /** the socket is gone: release the translator's state (called once) */
  closed(): void;
}

export interface KitOptions<Item> {
  socket: Socket;
  proto: string;
  cid: number | string;
  log: Logger;
  limits: KitLimits;
  hooks: KitHooks<Item>;
  tls?: TlsMaterial;
  /** wrap the accepted socket in server-side TLS at once (implicit-TLS ports) */
  isImplicitTls?: boolean;
  /** how string output is turned into bytes (IMAP writes latin1 byte strings) */
  encoding?: BufferEncoding;
}

/** pace() hands output to the socket in pieces of about this size (fewer writes for small parts). */
const PACE_FLUSH_BYTES = 64 * 1024;
/** The reason as the session log line says it (the same words translators use for their own closes). */
const WHY: Record<CutReason, string> = { idle: 'idle timeout', 'slow-command': 'slow command', stall: 'client stopped reading' };
/** A peer that does not close its side after our goodbye is cut off after this. */
const CLOSE_GRACE_MS = 5000;

export class SessionKit<Item> {
  isTls: boolean;
  /** no more input is taken and no more items run */
  isClosed = false;
  readonly remoteAddress: string | undefined;
  private socket: Socket | TLSSocket;
  private codec: Codec | undefined;
  private queue: Item[] = [];
  private isPumping = false;
  /** an item's run() has not resolved yet (the idle timer waits for it) */
  private isRunning = false;
  private isCleanedUp = false;
  private readonly output: SessionOutput;
  private readonly slice = new Slice();
  private idle: NodeJS.Timeout | undefined;
  private readonly clock: LineClock;
  private work: WorkRecord;
  private readonly onSocketData = (chunk: Buffer) => (this.codec ? this.codec.input(chunk) : this.feed(chunk));

  constructor(private readonly opts: KitOptions<Item>) {
    this.remoteAddress = opts.socket.remoteAddress;
    this.isTls = opts.isImplicitTls === true;
    this.socket = opts.isImplicitTls ? upgradeToTls(opts.socket, this.material()) : opts.socket;
    this.work = { proto: opts.proto, cid: opts.cid, cmd: '' };
    this.output = new SessionOutput({
      tcp: opts.socket, socket: () => this.socket, codec: () => this.codec, encoding: opts.encoding ?? 'utf8',
      maxBuffered: opts.limits.maxBuffered, stallMs: opts.limits.stallMs, log: opts.log, onStall: () => this.cut('stall'),
    });
    this.clock = lineClock({ maxMs: opts.limits.lineMs, onExpire: () => this.cut('slow-command') });
    this.attach(this.socket);
    // the TCP socket's close is the one that always comes, whatever is layered on it
    opts.socket.once('close', () => this.cleanup());
    this.touch();
  }

  // ---- input ----

  /** Decoded cleartext from the client (the codec calls this too). */
  feed(chunk: Buffer): void {
    if (this.isClosed) return;
    this.touch();
    this.clock.feed(chunk);
    const items = this.opts.hooks.frame(chunk);
    if (this.isClosed) return; // the framer ended the session (a line too long to resynchronise)
    for (const item of items) this.queue.push(item);
    if (this.queue.length >= this.opts.limits.maxQueued) this.socket.pause();
    void this.pump();
  }

  /**
   * Queue an item the session made itself (a notification the server owes, say) to run in turn
   * with the client's commands, so its output never lands inside a command's answer.
   */
  enqueue(item: Item): void {
    if (this.isClosed) return;
    this.queue.push(item);
    void this.pump();
  }

  /** Items waiting to run (a translator drops them itself only through startTls()). */
  get queued(): number {
    return this.queue.length;
  }

  /** Run queued items in order, one at a time, yielding between slices and waiting for room. */
  private async pump(): Promise<void> {
    if (this.isPumping) return;
    this.isPumping = true;
    this.slice.reset();
    try {
      while (!this.isClosed && this.queue.length > 0) {
        if (this.unsent > this.opts.limits.maxBuffered) {
          await this.output.waitForRoom();
          continue;
        }
        if (this.slice.isUsedUp) {
          await nextTurn();
          this.slice.reset();
          continue;
        }
        const item = this.queue.shift()!;
        if (this.queue.length < this.opts.limits.maxQueued / 2 && this.socket.isPaused()) this.socket.resume();
        await this.runOne(item);
      }
    } catch (err) {
      this.opts.log.error({ err }, 'session failed');
      this.destroy();
    } finally {
      this.isPumping = false;
    }
  }

  private async runOne(item: Item): Promise<void> {
    this.work = { ...this.work, cmd: '' };
    currentWork.begin(this.work);
    this.isRunning = true;
    try {
      await this.opts.hooks.run(item);
    } finally {
      this.isRunning = false;
      currentWork.end(this.work);
      this.flush();
    }
  }

  /** Name the running command (and user) in the current-work record the watchdog reads. */
  doing(cmd: string): void {
    this.rename({ cmd });
  }

  /** The logged-in user, named in every later work record. */
  setUser(user: string | undefined): void {
    this.rename({ user });
  }

  private rename(fields: Partial<WorkRecord>): void {
    const isCurrent = currentWork.current === this.work;
    this.work = { ...this.work, ...fields };
    if (isCurrent) currentWork.begin(this.work);
  }

  // ---- output ----

  /** Queue output; it goes to the socket on flush() (at the latest when the item ends). */
  send(data: string | Buffer): void {
    if (this.isClosed) return; // a handler still producing after a cut-off: nobody will read it
    this.output.send(data);
  }

  /** send() and flush(). */
  write(data: string | Buffer): void {
    this.send(data);
    this.flush();
  }

  flush(): void {
    this.output.flush();
  }

  /** Bytes written by the translator that the client has not taken yet. */
  get unsent(): number {
    return this.output.unsent;
  }

  /** This session's slice is used up: a producer should call pace() at its next clean break. */
  get isTurnOver(): boolean {
    return this.slice.isUsedUp;
  }

  /**
   * For handlers that produce a large answer in parts: hand out what is queued, give other
   * sessions their turn when this one's slice is used up, and wait while the client is behind.
   */
  async pace(): Promise<void> {
    if (this.isClosed) return;
    if (this.output.queuedBytes >= PACE_FLUSH_BYTES || this.slice.isUsedUp) this.flush();
    if (this.unsent > this.opts.limits.maxBuffered) {
      this.flush();
      currentWork.end(this.work);
      await this.output.waitForRoom();
      currentWork.begin(this.work);
    }
    if (this.slice.isUsedUp) {
      currentWork.end(this.work);
      await nextTurn();
      this.slice.reset();
      currentWork.begin(this.work);
    }
  }

  // ---- STARTTLS, codec ----

  /**
   * Server-side TLS from here on. Anything the client pipelined in the clear after the command
   * is dropped (no command injection, RFC 3207 §4.2, RFC 3501 §6.2.1, RFC 4642 §2.2); the
   * translator resets its own framer.
   */
  startTls(): void {
    this.flush();
    this.output.feedSocketAll();
    const plain = this.socket as Socket;
    plain.off('data', this.onSocketData);
    this.queue = [];
    const secure = upgradeToTls(plain, this.material());
    this.socket = secure;
    this.isTls = true;
    this.attach(secure, { isUpgrade: true });
    if (plain.isPaused()) plain.resume();
  }

  /** A transform both ways from here on (what is queued goes out untransformed first). */
  useCodec(make: (socket: Socket, feed: (chunk: Buffer) => void, fail: (err: Error) => void) => Codec): void {
    this.flush();
    this.output.feedSocketAll();
    this.codec = make(this.socket, (chunk) => this.feed(chunk), (err) => {
      this.opts.log.debug({ err }, 'codec failed');
      this.destroy();
    });
  }

  get hasCodec(): boolean {
    return this.codec !== undefined;
  }

  private material(): TlsMaterial {
    if (!this.opts.tls) throw new Error('TLS asked for without TLS material');
    return this.opts.tls;
  }

  private attach(socket: Socket | TLSSocket, opts: { isUpgrade?: boolean } = {}): void {
    socket.on('data', this.onSocketData);
    socket.on('drain', this.output.onDrain);
    socket.on('error', (err) => this.opts.log.debug({ err: err.message }, opts.isUpgrade ? 'tls error' : 'socket error'));
  }

  // ---- timers, close ----

  private touch(): void {
    if (this.idle) this.idle.refresh();
    else {
      // a client waiting for a slow command (a login's scrypt on a busy machine) is not idle
      this.idle = setTimeout(() => (this.isRunning ? this.touch() : this.cut('idle')), this.opts.limits.idleMs);
      this.idle.unref();
    }
  }

  /** The kit's own reasons to end: say the translator's goodbye and close. */
  private cut(reason: CutReason): void {
    if (this.isClosed) return;
    this.opts.log.info({ why: WHY[reason] }, 'closing session');
    const last = this.opts.hooks.farewell(reason);
    if (reason === 'stall') {
      // the client reads nothing, so a graceful end would hold the socket and its buffers;
      // the goodbye is queued behind what it never read, and the connection is reset
      if (last !== undefined) this.send(last);
      this.flush();
      this.isClosed = true;
      this.opts.socket.resetAndDestroy();
      this.socket.destroy();
      return;
    }
    this.end(last);
  }

  /** Write the last words (if any) and what is queued, then close; a peer that stays is cut off. */
  end(last?: string | Buffer): void {
    if (this.isClosed) return;
    if (last !== undefined) this.send(last);
    this.flush();
    this.output.feedSocketAll();
    this.isClosed = true;
    this.queue = [];
    const s = this.socket;
    const c = this.codec;
    if (c) void c.flushed().then(() => { s.end(); c.close(); });
    else s.end();
    setTimeout(() => s.destroy(), CLOSE_GRACE_MS).unref();
  }

  destroy(): void {
    this.isClosed = true;
    this.socket.destroy();
  }

  private cleanup(): void {
    if (this.isCleanedUp) return;
    this.isCleanedUp = true;
    this.isClosed = true;
    this.queue = [];
    this.output.clear();
    this.clock.stop();
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    this.codec?.close();
    this.opts.hooks.closed();
  }
}
