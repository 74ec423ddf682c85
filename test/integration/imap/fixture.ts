// Shared setup for the IMAP integration tests: a real keepd, users, imapflow clients and a raw
// socket client (on the shared RawSocket) for exact wire checks.
import type net from 'node:net';
import type tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';


export async function startWithUsers(names: string[], env: Record<string, string> = {}): Promise<Keep> {
  const keep = await startKeep({ env });
  await addUsers(keep, names);
  return keep;
}

/** Add users (password `<name>-pw`) with the keepd CLI, as an administrator would. */
export async function addUsers(keep: Keep, names: string[]): Promise<void> {
  for (const n of names) {
    const r = await keep.cli(['user', 'add', n, '--password', `${n}-pw`]);
    if (r.code !== 0) throw new Error(`user add ${n} failed: ${r.stderr}`);
  }
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

/** A raw IMAP client on the shared RawSocket: send bytes, read until a tagged reply (or BYE/close), bounded. */
export class Raw {
  greeting = '';
  constructor(readonly raw: RawSocket) {}

  static async open(port: number): Promise<Raw> {
    const r = new Raw(await RawSocket.connect(port, { timeoutMs: 30_000, encoding: 'latin1', eol: '\r\n' }));
    r.greeting = `${await r.raw.line()}\r\n`;
    return r;
  }

  get sock(): net.Socket | tls.TLSSocket {
    return this.raw.socket;
  }

  get closed(): boolean {
    return this.raw.closed;
  }

  /** What the server sent that no cmd() has taken; assigning '' forgets it. */
  get buf(): string {
    return this.raw.pending;
  }

  set buf(text: string) {
    this.raw.take();
    if (text) this.raw.unshift(text);
  }

  until(pred: (buf: string) => boolean, timeoutMs = 30_000): Promise<string> {
    return this.raw.until(pred, timeoutMs);
  }

  /** Send a command and return everything up to and including its tagged reply, taking it. */
  async cmd(tag: string, text: string | Buffer, timeoutMs = 30_000): Promise<string> {
    this.raw.write(typeof text === 'string' ? `${tag} ${text}\r\n` : text);
    const re = new RegExp(`(^|\\r\\n)${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (OK|NO|BAD)[^\\r\\n]*\\r\\n`);
    const buf = await this.until((b) => re.test(b), timeoutMs);
    const m = re.exec(buf)!;
    return this.raw.take(m.index + m[0].length);
  }

  /** Everything received once the server said BYE or closed (bounded). */
  async closedOrBye(timeoutMs = 30_000): Promise<string> {
    try {
      await this.until((b) => b.includes('* BYE'), timeoutMs);
    } catch (err) {
      if (!this.closed) throw err;
    }
    return this.buf;
  }

  close(): void {
    this.raw.close();
  }
}
