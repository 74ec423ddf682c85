// A small raw native-protocol client for tests and benchmarks: one command, one reply, with
// listings read up to `000`. Lines, waits and STLS come from the shared RawSocket.
import type net from 'node:net';
import type tls from 'node:tls';
import { RawSocket } from './raw-socket.ts';

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
  readonly closed: Promise<void>;
  greeting = '';

  private constructor(readonly raw: RawSocket) {
    this.closed = raw.whenClosed;
  }

  get socket(): net.Socket | tls.TLSSocket {
    return this.raw.socket;
  }

  get timeoutMs(): number {
    return this.raw.timeoutMs;
  }

  static async connect(port: number, opts: { tls?: boolean; timeoutMs?: number; host?: string } = {}): Promise<NativeClient> {
    const raw = await RawSocket.connect(port, { tls: opts.tls, host: opts.host, timeoutMs: opts.timeoutMs ?? 30_000, encoding: 'utf8', eol: '\n' });
    const c = new NativeClient(raw);
    c.greeting = await c.readLine();
    return c;
  }

  readLine(timeoutMs = this.timeoutMs): Promise<string> {
    return this.raw.line(timeoutMs);
  }

  send(line: string): void {
    this.raw.write(`${line}\n`);
  }

  /** Read one reply: a status line, and for 1xx the lines up to `000`. */
  async reply(): Promise<NativeReply> {
    const raw = await this.readLine();
    const code = Number(raw.slice(0, 3));
    const reply: NativeReply = { code, star: raw[3] === '*', text: raw.slice(4), lines: [], raw };
    if (code >= 100 && code < 200) {
      for (let i = 0; i < 10_000_000; i++) {
        // take what is buffered without a promise per line (listings can be long)
        const l = this.raw.takeLine() ?? (await this.readLine());
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
    this.raw.write(`${[...lines, '000'].join('\n')}\n`);
  }

  async login(name: string, password: string): Promise<NativeReply> {
    const u = await this.cmd(`USER ${name}`);
    if (u.code !== 300) throw new Error(`USER ${name}: ${u.raw}`);
    const p = await this.cmd(`PASS ${password}`);
    if (p.code !== 200) throw new Error(`PASS for ${name}: ${p.raw}`);
    return p;
  }

  /** Upgrade this connection after a 2xx to STLS. */
  startTls(): Promise<void> {
    return this.raw.startTls();
  }

  /** Is nothing more coming within ms? (used to prove "no reply" rules) */
  isSilent(ms: number): Promise<boolean> {
    return this.raw.isSilent(ms);
  }

  close(): void {
    this.raw.close();
  }
}
