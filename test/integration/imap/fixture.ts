// Shared setup for the IMAP integration tests: a real keepd, users, imapflow clients and a raw
// socket client for exact wire checks.
import net from 'node:net';
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import { vi } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

// starting keepd and a CLI per user takes several node processes; on a loaded machine that
// can pass the default 30 s hook limit
vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

export async function startWithUsers(names: string[], env: Record<string, string> = {}): Promise<Keep> {
  const keep = await startKeep({ env });
  for (const n of names) {
    const r = await keep.cli(['user', 'add', n, '--password', `${n}-pw`]);
    if (r.code !== 0) throw new Error(`user add ${n} failed: ${r.stderr}`);
  }
  return keep;
}

export async function flow(keep: Keep, user: string, opts: { secure?: boolean; doSTARTTLS?: boolean } = {}): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1', port: opts.secure ? keep.ports['imap-tls'] : keep.ports.imap, secure: opts.secure ?? false,
    doSTARTTLS: opts.doSTARTTLS ?? false, tls: { rejectUnauthorized: false },
    auth: { user, pass: `${user}-pw` }, logger: false, disableAutoIdle: true,
  });
  await client.connect();
  return client;
}

export function message(subject: string, body = 'Hello there.\r\n', extra = ''): Buffer {
  return Buffer.from(`From: Alice Example <alice@keep.test>\r\nTo: Bob <bob@keep.test>\r\nSubject: ${subject}\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Math.random().toString(36).slice(2)}@keep.test>\r\n${extra}\r\n${body}`);
}

/** A raw line client: send bytes, read until a tagged reply (or BYE/close), bounded. */
export class Raw {
  buf = '';
  greeting = '';
  closed = false;
  private waiters: (() => void)[] = [];
  constructor(readonly sock: net.Socket | tls.TLSSocket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => { this.buf += d; this.wake(); });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('error', () => { this.closed = true; this.wake(); });
  }

  static async open(port: number): Promise<Raw> {
    const sock = net.connect(port, '127.0.0.1');
    const r = new Raw(sock);
    await r.until((b) => b.includes('\r\n'));
    r.greeting = r.buf;
    r.buf = '';
    return r;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async until(pred: (buf: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.buf)) {
      if (this.closed) throw new Error(`connection closed; got: ${this.buf.slice(-300)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got: ${this.buf.slice(-300)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    return this.buf;
  }

  /** Send a command and return everything up to and including its tagged reply; clears the buffer. */
  async cmd(tag: string, text: string | Buffer, timeoutMs = 5000): Promise<string> {
    this.sock.write(typeof text === 'string' ? `${tag} ${text}\r\n` : text);
    const re = new RegExp(`(^|\\r\\n)${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (OK|NO|BAD)[^\\r\\n]*\\r\\n`);
    await this.until((b) => re.test(b), timeoutMs);
    const m = re.exec(this.buf)!;
    const end = m.index + m[0].length;
    const out = this.buf.slice(0, end);
    this.buf = this.buf.slice(end);
    return out;
  }

  async closedOrBye(timeoutMs = 5000): Promise<string> {
    try {
      await this.until((b) => b.includes('* BYE'), timeoutMs);
    } catch (err) {
      if (!this.closed) throw err;
    }
    return this.buf;
  }

  close(): void {
    this.sock.destroy();
  }
}
