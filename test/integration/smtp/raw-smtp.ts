// A raw SMTP client for garbage and edge cases: write lines, read (multi-line) replies, every
// wait bounded.
import net from 'node:net';

export interface Reply { code: number; lines: string[] }

export class RawSmtp {
  private buf = '';
  private replies: Reply[] = [];
  private partial: string[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        this.partial.push(line);
        if (line[3] !== '-') {
          this.replies.push({ code: Number(line.slice(0, 3)), lines: this.partial });
          this.partial = [];
        }
      }
      this.waiter?.();
    });
    socket.on('error', () => { /* seen as close */ });
    socket.on('close', () => { this.closed = true; this.waiter?.(); });
  }

  static async connect(port: number): Promise<RawSmtp> {
    const c = new RawSmtp(net.connect({ port, host: '127.0.0.1' }));
    await c.reply();
    return c;
  }

  async reply(timeoutMs = 10_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('no reply in time');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
    }
    return this.replies.shift()!;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async cmd(line: string): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** resolves when the server has closed the connection */
  async closedByServer(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
