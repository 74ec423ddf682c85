// A raw SMTP client for garbage and edge cases: write lines, read (multi-line) replies, every
// wait bounded. Lines and waits come from the shared RawSocket; this adds SMTP's reply grammar.
import { RawSocket } from '../../helpers/raw-socket.ts';

export interface Reply { code: number; lines: string[] }

export class RawSmtp {
  private constructor(private readonly raw: RawSocket) {}

  static async connect(port: number): Promise<RawSmtp> {
    const c = new RawSmtp(await RawSocket.connect(port, { encoding: 'latin1', eol: '\r\n' }));
    await c.reply();
    return c;
  }

  get closed(): boolean {
    return this.raw.closed;
  }

  /** One reply: lines `ddd-…` continue it, `ddd …` ends it (RFC 5321 §4.2.1). */
  async reply(timeoutMs = 30_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      const line = await this.raw.line(Math.max(1, deadline - Date.now()));
      lines.push(line);
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), lines };
    }
  }

  write(data: string | Buffer): void {
    this.raw.write(data);
  }

  async cmd(line: string): Promise<Reply> {
    this.raw.writeLine(line);
    return this.reply();
  }

  /** resolves true when the server has closed the connection, false if it is still open after the wait */
  async closedByServer(timeoutMs = 30_000): Promise<boolean> {
    try {
      await this.raw.waitClosed(timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.raw.close();
  }
}
