// A small raw native-protocol client for tests and benchmarks: one command, one reply, with
// listings read up to `000`. Every wait is bounded.
import net from 'node:net';
import tls from 'node:tls';

export interface NativeReply {
  code: number;
  /** the `*` flag: instant messages are waiting */
  star: boolean;
  text: string;
  /** the lines of a 1xx listing (without the `000`) */
  lines: string[];
  /** the status line as received */
  raw: string;
}

export class NativeClient {
  private buf = '';
  private lines: string[] = [];
  private waiter: { resolve: (l: string) => void; reject: (e: Error) => void } | undefined;
  private isClosed = false;
  readonly closed: Promise<void>;
  greeting = '';

  private constructor(public socket: net.Socket | tls.TLSSocket, readonly timeoutMs: number) {
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.isClosed = true;
      this.waiter?.reject(new Error('connection closed'));
      this.waiter = undefined;
      resolve();
    }));
    this.listen(socket);
  }

  static async connect(port: number, opts: { tls?: boolean; timeoutMs?: number; host?: string } = {}): Promise<NativeClient> {
    const host = opts.host ?? '127.0.0.1';
    const socket = opts.tls ? tls.connect({ port, host, rejectUnauthorized: false }) : net.connect({ port, host });
    socket.on('error', () => { /* surfaced as 'close' to the waiting reader */ });
    socket.setNoDelay(true);
    const c = new NativeClient(socket, opts.timeoutMs ?? 10_000);
    c.greeting = await c.readLine();
    return c;
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let start = 0;
      for (let i = this.buf.indexOf('\n'); i >= 0; i = this.buf.indexOf('\n', start)) {
        const line = this.buf.slice(start, i).replace(/\r$/, '');
        start = i + 1;
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = undefined;
          w.resolve(line);
        } else this.lines.push(line);
      }
      this.buf = this.buf.slice(start);
    });
  }

  readLine(timeoutMs = this.timeoutMs): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no line from the server within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (x) => { clearTimeout(t); resolve(x); },
        reject: (e) => { clearTimeout(t); reject(e); },
      };
    });
  }

  send(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /** Read one reply: a status line, and for 1xx the lines up to `000`. */
  async reply(): Promise<NativeReply> {
    const raw = await this.readLine();
    const code = Number(raw.slice(0, 3));
    const reply: NativeReply = { code, star: raw[3] === '*', text: raw.slice(4), lines: [], raw };
    if (code >= 100 && code < 200) {
      for (let i = 0; i < 10_000_000; i++) {
        // take what is buffered without a promise per line (listings can be long)
        const l = this.lines.length ? this.lines.shift()! : await this.readLine();
        if (l === '000') break;
        reply.lines.push(l);
      }
    }
    return reply;
  }

  async cmd(line: string): Promise<NativeReply> {
    this.send(line);
    return this.reply();
  }

  /** After a 4xx: send lines and the `000`; the server answers nothing. */
  sendListing(lines: string[]): void {
    this.socket.write(`${[...lines, '000'].join('\n')}\n`);
  }

  async login(name: string, password: string): Promise<NativeReply> {
    const u = await this.cmd(`USER ${name}`);
    if (u.code !== 300) throw new Error(`USER ${name}: ${u.raw}`);
    const p = await this.cmd(`PASS ${password}`);
    if (p.code !== 200) throw new Error(`PASS for ${name}: ${p.raw}`);
    return p;
  }

  /** Upgrade this connection after a 2xx to STLS. */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  /** Is nothing more coming within ms? (used to prove "no reply" rules) */
  async isSilent(ms: number): Promise<boolean> {
    try {
      const l = await this.readLine(ms);
      this.lines.unshift(l);
      return false;
    } catch {
      return true;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
