// A raw-socket NNTP client for tests: one line at a time, multi-line blocks un-dot-stuffed,
// every wait bounded. Garbage can be sent with write().
import net from 'node:net';
import tls from 'node:tls';

export interface NntpReply { code: number; text: string; lines: string[] }

const MULTI = new Set([100, 101, 215, 220, 221, 222, 224, 225, 230, 231]);

export class NntpClient {
  private buf = '';
  private waiters: (() => void)[] = [];
  private isClosed = false;
  greeting!: NntpReply;
  /** how long one line may take (benchmarks on a busy machine raise it) */
  timeoutMs = 15_000;

  private constructor(private socket: net.Socket | tls.TLSSocket) {
    this.listen(socket);
  }

  static async connect(port: number, timeoutMs = 15_000): Promise<NntpClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((res, rej) => { socket.once('connect', () => res()); socket.once('error', rej); });
    const c = new NntpClient(socket);
    c.timeoutMs = timeoutMs;
    c.greeting = await c.reply(false);
    return c;
  }

  private listen(socket: net.Socket | tls.TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { this.buf += d; this.wake(); });
    socket.on('close', () => { this.isClosed = true; this.wake(); });
    socket.on('error', () => { this.isClosed = true; this.wake(); });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(s: string | Buffer): void {
    this.socket.write(s);
  }

  /** Next line (latin1, so bytes survive), without CRLF; throws after the timeout or on close. */
  async line(timeoutMs?: number): Promise<string> {
    const deadline = Date.now() + (timeoutMs ?? this.timeoutMs);
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i >= 0) {
        const l = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        return l;
      }
      if (this.isClosed) throw new Error(`connection closed; pending: ${JSON.stringify(this.buf.slice(0, 200))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a line; have: ${JSON.stringify(this.buf.slice(0, 200))}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  /** One reply; the data block is read when the code is a multi-line one (or forced). */
  async reply(multi?: boolean, timeoutMs?: number): Promise<NntpReply> {
    const status = await this.line(timeoutMs);
    const m = /^(\d{3}) ?(.*)$/.exec(status);
    if (!m) throw new Error(`not a status line: ${status}`);
    const code = Number(m[1]);
    const lines: string[] = [];
    if (multi ?? MULTI.has(code)) {
      for (let i = 0; i < 1_000_000; i++) {
        const l = await this.line(timeoutMs);
        if (l === '.') break;
        lines.push(l.startsWith('..') ? l.slice(1) : l);
      }
    }
    return { code, text: m[2]!, lines };
  }

  async cmd(line: string, multi?: boolean): Promise<NntpReply> {
    this.write(`${line}\r\n`);
    return this.reply(multi);
  }

  async login(user: string, password: string): Promise<void> {
    const u = await this.cmd(`AUTHINFO USER ${user}`);
    if (u.code !== 381) throw new Error(`AUTHINFO USER: ${u.code} ${u.text}`);
    const p = await this.cmd(`AUTHINFO PASS ${password}`);
    if (p.code !== 281) throw new Error(`AUTHINFO PASS: ${p.code} ${p.text}`);
  }

  /** POST an article given as lines (dot-stuffed here); returns the final reply. */
  async post(lines: string[]): Promise<NntpReply> {
    const first = await this.cmd('POST');
    if (first.code !== 340) return first;
    this.write(`${lines.map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n')}\r\n.\r\n`);
    return this.reply(false);
  }

  /** STARTTLS then the handshake; replies continue over TLS. */
  async startTls(): Promise<NntpReply> {
    const r = await this.cmd('STARTTLS');
    if (r.code !== 382) return r;
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((res, rej) => { secure.once('secureConnect', () => res()); secure.once('error', rej); });
    this.socket = secure;
    this.listen(secure);
    return r;
  }

  /** Wait until the server closes the connection (bounded). */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isClosed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('connection still open');
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
