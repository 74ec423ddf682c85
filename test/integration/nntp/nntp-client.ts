// A raw-socket NNTP client for tests: one line at a time, multi-line blocks un-dot-stuffed,
// every wait bounded. Garbage can be sent with write(). Lines, waits and STARTTLS come from
// the shared RawSocket; this file adds NNTP's reply grammar.
import { RawSocket } from '../../helpers/raw-socket.ts';

export interface NntpReply { code: number; text: string; lines: string[] }

const MULTI = new Set([100, 101, 215, 220, 221, 222, 224, 225, 230, 231]);

export class NntpClient {
  greeting!: NntpReply;

  private constructor(private readonly raw: RawSocket) {}

  /** how long one line may take (benchmarks on a busy machine raise it) */
  get timeoutMs(): number {
    return this.raw.timeoutMs;
  }

  set timeoutMs(ms: number) {
    this.raw.timeoutMs = ms;
  }

  static async connect(port: number, timeoutMs = 30_000): Promise<NntpClient> {
    // latin1 so every byte survives; NNTP lines end in CRLF exactly
    const c = new NntpClient(await RawSocket.connect(port, { timeoutMs, encoding: 'latin1', eol: '\r\n' }));
    c.greeting = await c.reply(false);
    return c;
  }

  get closed(): boolean {
    return this.raw.closed;
  }

  write(s: string | Buffer): void {
    this.raw.write(s);
  }

  /** Next line (latin1, so bytes survive), without CRLF; throws after the timeout or on close. */
  line(timeoutMs?: number): Promise<string> {
    return this.raw.line(timeoutMs);
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
        const l = this.raw.takeLine() ?? (await this.line(timeoutMs));
        if (l === '.') break;
        lines.push(l.startsWith('..') ? l.slice(1) : l);
      }
    }
    return { code, text: m[2]!, lines };
  }

  async cmd(line: string, multi?: boolean): Promise<NntpReply> {
    this.raw.writeLine(line);
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
    if (r.code === 382) await this.raw.startTls();
    return r;
  }

  /** Wait until the server closes the connection (bounded). */
  waitClosed(timeoutMs = 30_000): Promise<void> {
    return this.raw.waitClosed(timeoutMs);
  }

  close(): void {
    this.raw.close();
  }
}
