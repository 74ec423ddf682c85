// The one raw-socket client the tests build on: connect (plain or TLS), write bytes, read lines
// or wait for the received text to match, upgrade to TLS in place (STARTTLS, STLS), and notice
// the server closing. Every wait is bounded. Protocol clients (native, NNTP, SMTP, IMAP) add
// only their reply grammar on top.
import net from 'node:net';
import tls from 'node:tls';

export interface RawOptions {
  /** connect with TLS from the first byte (a TLS port) */
  tls?: boolean;
  host?: string;
  /** the default bound for every wait on this socket */
  timeoutMs?: number;
  /** how received bytes become text: latin1 keeps every byte, utf8 reads what people write */
  encoding?: 'latin1' | 'utf8';
  /** what ends a line: '\n' (a '\r' before it is dropped) or exactly '\r\n' */
  eol?: '\n' | '\r\n';
}

const TLS_CLIENT = { rejectUnauthorized: false, servername: 'localhost' } as const;

export class RawSocket {
  /** received text not yet taken; `pos` marks where it starts (taking a line is then O(line)) */
  private buf = '';
  private pos = 0;
  private waiters: (() => void)[] = [];
  private isClosed = false;
  private markClosed!: () => void;
  /** resolves when the connection has closed (by either side) */
  readonly whenClosed: Promise<void> = new Promise((resolve) => { this.markClosed = resolve; });
  private readonly encoding: 'latin1' | 'utf8';
  private readonly eol: '\n' | '\r\n';
  timeoutMs: number;

  private constructor(public socket: net.Socket | tls.TLSSocket, opts: RawOptions) {
    this.encoding = opts.encoding ?? 'latin1';
    this.eol = opts.eol ?? '\n';
    this.timeoutMs = opts.timeoutMs ?? 30_000; // a hang detector: a loaded machine answers late, not never
    this.listen(socket);
  }

  /** Connect to 127.0.0.1 (or host); resolves once connected (TLS: once the handshake is done). */
  static async connect(port: number, opts: RawOptions = {}): Promise<RawSocket> {
    const host = opts.host ?? '127.0.0.1';
    const socket = opts.tls ? tls.connect({ port, host, ...TLS_CLIENT }) : net.connect({ port, host });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawSocket(socket, opts);
  }

  private listen(socket: net.Socket | tls.TLSSocket): void {
    socket.setEncoding(this.encoding);
    socket.on('data', (d: string) => {
      this.buf += d;
      this.wake();
    });
    socket.on('close', () => {
      this.isClosed = true;
      this.markClosed();
      this.wake();
    });
    socket.on('error', () => { /* the 'close' that follows wakes the reader */ });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Wait for the next data or close, at most until deadline; false when the deadline passed. */
  private async next(deadline: number): Promise<boolean> {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
    return true;
  }

  /** Has the server closed the connection (or has it failed)? */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The received text nobody has taken yet. */
  get pending(): string {
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    return this.buf;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Write one line with this socket's line ending. */
  writeLine(line: string): void {
    this.socket.write(`${line}${this.eol}`);
  }

  /** A complete line already received, without its ending; undefined when none is. */
  takeLine(): string | undefined {
    const i = this.buf.indexOf(this.eol, this.pos);
    if (i < 0) return undefined;
    let line = this.buf.slice(this.pos, i);
    if (this.eol === '\n' && line.endsWith('\r')) line = line.slice(0, -1);
    this.pos = i + this.eol.length;
    if (this.pos === this.buf.length) {
      this.buf = '';
      this.pos = 0;
    }
    return line;
  }

  /** The next line without its ending; throws when the socket closes or the wait runs out. */
  async line(timeoutMs = this.timeoutMs): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = this.takeLine();
      if (l !== undefined) return l;
      if (this.isClosed) throw new Error(`connection closed; pending: ${JSON.stringify(this.pending.slice(0, 300))}`);
      if (!(await this.next(deadline))) throw new Error(`no line within ${timeoutMs} ms; pending: ${JSON.stringify(this.pending.slice(0, 300))}`);
    }
  }

  /** Wait until the untaken text satisfies pred and return it (nothing is taken). */
  async until(pred: (text: string) => boolean, timeoutMs = this.timeoutMs): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (pred(this.pending)) return this.buf;
      if (this.isClosed) throw new Error(`connection closed; got: ${JSON.stringify(this.buf.slice(-300))}`);
      if (!(await this.next(deadline))) throw new Error(`timed out after ${timeoutMs} ms; got: ${JSON.stringify(this.buf.slice(-300))}`);
    }
  }

  /** Take the first n characters of the untaken text (all of it without n). */
  take(n?: number): string {
    const text = this.pending;
    const out = n === undefined ? text : text.slice(0, n);
    this.buf = text.slice(out.length);
    return out;
  }

  /** Put text back in front of what is untaken (a reader that looked too far). */
  unshift(text: string): void {
    this.buf = text + this.pending;
  }

  /** Is nothing more coming within ms? Used to prove "no reply" rules. */
  async isSilent(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.pending.length === 0 && !this.isClosed) {
      if (!(await this.next(deadline))) return true;
    }
    return false;
  }

  /** Resolve once the server has closed the connection; throws when it is still open after the wait. */
  async waitClosed(timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isClosed) {
      if (!(await this.next(deadline))) throw new Error(`connection still open after ${timeoutMs} ms`);
    }
  }

  /** Upgrade this connection to TLS in place, after the server's go-ahead (STARTTLS 382/220, STLS 2xx). */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, ...TLS_CLIENT });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  /** Stop reading: the caller takes the socket over (e.g. to put a compression layer on it). */
  detach(): net.Socket | tls.TLSSocket {
    this.socket.removeAllListeners('data');
    return this.socket;
  }

  close(): void {
    this.socket.destroy();
  }
}
