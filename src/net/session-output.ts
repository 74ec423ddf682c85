// A session's output (issue 16): what the translator wrote, handed to the socket in pieces as the
// client takes them, the count of what the client has not taken yet (the kernel's queue
// included), and the wait while that is over the bound, which ends in a cut-off when the client
// takes nothing for the stall time. Part of the session kit; it knows no protocol words.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../log/index.ts';
import { kernelUnsent } from './kernel-queue.ts';

/** A transform between the kit and the socket (IMAP COMPRESS=DEFLATE). */
export interface Codec {
  /** bytes from the socket; decoded bytes go to the kit's feed() */
  input(chunk: Buffer): void;
  write(data: Buffer): void;
  /** bytes taken but not yet handed to the socket */
  readonly pending: number;
  /** resolves when everything written so far is on the socket */
  flushed(): Promise<void>;
  close(): void;
}

export interface OutputOptions {
  /** the accepted TCP socket: its kernel queue is the client's real progress */
  tcp: Socket;
  /** the stream written to now (the TCP socket, or TLS on it after STARTTLS) */
  socket(): Socket | TLSSocket;
  codec(): Codec | undefined;
  /** how string output is turned into bytes (IMAP writes latin1 byte strings) */
  encoding: BufferEncoding;
  maxBuffered: number;
  stallMs: number;
  log: Logger;
  /** the client took nothing for stallMs while over the bound */
  onStall(): void;
}

/** Largest single socket write (see feedSocket()). */
const WRITE_PIECE = 64 * 1024;
/** A client that stopped reading is checked this often for progress. */
const STALL_CHECK_MS = 250;

export class SessionOutput {
  private out: (string | Buffer)[] = [];
  /** bytes queued by send() and not yet flushed */
  queuedBytes = 0;
  /** flushed output the socket has not been given yet, in pieces (see feedSocket()) */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** the socket's 'drain' handler */
  readonly onDrain = () => this.feedSocket();

  constructor(private readonly opts: OutputOptions) {}

  send(data: string | Buffer): void {
    this.out.push(data);
    this.queuedBytes += data.length;
  }

  flush(): void {
    if (this.out.length === 0) return;
    const parts = this.out;
    this.out = [];
    this.queuedBytes = 0;
    const s = this.opts.socket();
    if (s.destroyed || !s.writable) return;
    const data = parts.length === 1 && Buffer.isBuffer(parts[0]) ? parts[0] : this.join(parts);
    const codec = this.opts.codec();
    if (codec) return codec.write(data);
    for (let at = 0; at < data.length; at += WRITE_PIECE) this.waiting.push(data.length <= WRITE_PIECE ? data : data.subarray(at, at + WRITE_PIECE));
    this.waitingBytes += data.length;
    this.feedSocket();
  }

  /** Everything flushed goes to the socket now, ready or not (before STARTTLS and at the end). */
  feedSocketAll(): void {
    const s = this.opts.socket();
    for (const piece of this.waiting) if (!s.destroyed) s.write(piece);
    this.waiting = [];
    this.waitingBytes = 0;
  }

  /** Bytes written by the translator that the client has not taken yet. */
  get unsent(): number {
    return this.queuedBytes + this.waitingBytes + (this.opts.codec()?.pending ?? 0) + this.opts.socket().writableLength;
  }

  /** Wait until the unsent output is back under the bound; call onStall if the client stops reading. */
  async waitForRoom(): Promise<void> {
    const { maxBuffered, stallMs } = this.opts;
    // progress is judged on everything not yet with the client, the kernel's queue included
    const level = () => this.unsent + (kernelUnsent(this.opts.tcp) ?? 0);
    let last = level();
    let progressAt = Date.now();
    while (!this.opts.socket().destroyed && this.unsent > maxBuffered) {
      await this.writableOrTick();
      const now = Date.now();
      const u = level();
      if (u < last) {
        last = u;
        progressAt = now;
      } else if (now - progressAt >= stallMs) {
        this.opts.log.warn({ unsent: u, stalledMs: now - progressAt }, 'client stopped reading; cutting it off');
        this.opts.onStall();
        return;
      }
    }
  }

  /** Drop everything not yet handed to the socket (the connection is gone). */
  clear(): void {
    this.out = [];
    this.queuedBytes = 0;
    this.waiting = [];
    this.waitingBytes = 0;
  }

  /** Queued parts as one buffer, each string encoded straight into it (one copy of a 2 MB answer, not three). */
  private join(parts: (string | Buffer)[]): Buffer {
    const enc = this.opts.encoding;
    let size = 0;
    for (const p of parts) size += typeof p === 'string' ? Buffer.byteLength(p, enc) : p.length;
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const p of parts) at += typeof p === 'string' ? out.write(p, at, enc) : p.copy(out, at);
    return out;
  }

  /**
   * Give the socket pieces until it asks us to wait; the rest follows on 'drain'. A socket
   * counts a write as unsent until all of it is out (and joins writes that queue behind a busy
   * one), so handing it everything at once would hide a slow reader's progress from the stall
   * watch; in pieces, what waits here shrinks with every piece the client takes.
   */
  private feedSocket(): void {
    const s = this.opts.socket();
    while (this.waiting.length > 0 && !s.destroyed) {
      const piece = this.waiting.shift()!;
      this.waitingBytes -= piece.length;
      if (!s.write(piece)) return;
    }
  }

  private writableOrTick(): Promise<void> {
    const s = this.opts.socket();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        s.off('drain', done);
        s.off('close', done);
        resolve();
      };
      const t = setTimeout(done, Math.min(STALL_CHECK_MS, this.opts.stallMs));
      s.on('drain', done);
      s.on('close', done);
    });
  }
}
