// One connection to a Keep (Citadel protocol) server: connect, greeting, optional STLS, and
// strictly one reply per command, in order (CITADEL-PROTOCOL-NOTES §1, §2, §5 rule 6).
import net from 'node:net';
import tls from 'node:tls';
import { ClientError, socketErrorText } from '../errors.ts';
import { LineReader } from './line-reader.ts';
import { parseReplyLine, replyClass, type Reply } from './reply.ts';

export type TlsMode = 'off' | 'starttls' | 'implicit';

export interface ConnectOptions {
  host: string;
  port: number;
  tls: TlsMode;
  /** PEM certificate(s) to trust besides the system store (a self-signed server) */
  ca?: Buffer | undefined;
  /** accept any server certificate (testing only) */
  insecure?: boolean;
  /** how long to wait for the connection and for each reply */
  timeoutMs: number;
}

export interface CommandOptions {
  /** lines to send when the server answers 4xx SEND_LISTING (then no reply follows, §2.1) */
  send?: string[];
  /** override the reply timeout for this command (keepalive uses a short one) */
  timeoutMs?: number;
}

export class Connection {
  private reader = new LineReader();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private closeListeners: ((reason: string) => void)[] = [];
  private waitingListeners: (() => void)[] = [];
  /** the server's greeting text (after the code) */
  greeting = '';
  /** true when the last reply carried '*': instant messages are waiting (§2.3) */
  hasMessages = false;

  private constructor(private socket: net.Socket, private readonly where: string, private readonly opts: ConnectOptions) {
    this.attach(socket);
  }

  static async open(opts: ConnectOptions): Promise<Connection> {
    const where = `${opts.host}:${opts.port}`;
    const socket = await connectSocket(opts, where);
    const conn = new Connection(socket, where, opts);
    try {
      const greeting = await conn.readReply(opts.timeoutMs);
      if (replyClass(greeting.code) !== 'ok') throw new ClientError('connect', `server ${where} refused the connection: ${greeting.text.trim() || greeting.code}`);
      conn.greeting = greeting.text;
      if (opts.tls === 'starttls') await conn.startTls();
      return conn;
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(fn: (reason: string) => void): void {
    this.closeListeners.push(fn);
  }

  /** Called after any reply that carries the '*' flag (instant messages are waiting, §2.3). */
  onMessagesWaiting(fn: () => void): void {
    this.waitingListeners.push(fn);
  }

  /** Send one command and wait for its reply; commands are serialized. */
  command(line: string, opts: CommandOptions = {}): Promise<Reply> {
    const run = this.queue.then(() => this.exchange(line, opts));
    // the caller gets the failure through `run`; the queue only needs to know this one is done
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    if (this.closed) return;
    this.socket.destroy();
    this.markClosed('closed by the client');
  }

  /** Say goodbye politely (QUIT), then close whatever the answer. */
  async quit(): Promise<void> {
    if (this.closed) return;
    // goodbye is a courtesy: whatever the answer (or none), the socket is closed next
    await this.command('QUIT', { timeoutMs: 2000 }).catch(() => undefined);
    this.close();
  }

  private async exchange(line: string, opts: CommandOptions): Promise<Reply> {
    if (this.closed) throw new ClientError('lost', `connection to ${this.where} is closed`);
    this.socket.write(`${line}\n`);
    const reply = await this.readReply(opts.timeoutMs ?? this.opts.timeoutMs);
    if (replyClass(reply.code) === 'send-listing') {
      // §2.1: send the text (or nothing) then 000; the server says nothing more
      const body = (opts.send ?? []).map((l) => `${l}\n`).join('');
      this.socket.write(`${body}000\n`);
    }
    this.hasMessages = reply.hasMessages;
    if (reply.hasMessages) for (const fn of this.waitingListeners) fn();
    return reply;
  }

  private async readReply(timeoutMs: number): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const first = await this.nextLine(deadline);
      const head = parseReplyLine(first);
      if (!head) throw this.protocolError(`unexpected line from server: ${first.slice(0, 80)}`);
      const cls = String(head.code)[0];
      if (cls === '9') { // an asynchronous notice: drain it, the real reply follows (§2.1)
        await this.readListing(deadline);
        continue;
      }
      const lines = cls === '1' ? await this.readListing(deadline) : [];
      return { ...head, lines };
    }
  }

  private async readListing(deadline: number): Promise<string[]> {
    const lines: string[] = [];
    for (let l = await this.nextLine(deadline); l !== '000'; l = await this.nextLine(deadline)) lines.push(l);
    return lines;
  }

  private nextLine(deadline: number): Promise<string> {
    const ms = Math.max(1, deadline - Date.now());
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        // a server that stops answering is as good as gone: drop the socket so nothing stale arrives later
        this.socket.destroy();
        this.markClosed(`no reply from ${this.where} within ${Math.round(ms / 1000)}s`);
        reject(new ClientError('lost', `no reply from ${this.where} within ${Math.round(ms / 1000)}s`));
      }, ms);
      this.reader.next().then((l) => { clearTimeout(t); resolve(l); }, (e: unknown) => { clearTimeout(t); reject(e); });
    });
  }

  private async startTls(): Promise<void> {
    const reply = await this.command('STLS');
    if (replyClass(reply.code) !== 'ok') throw new ClientError('connect', `server ${this.where} does not offer TLS: ${reply.text.trim()}`);
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = await handshake(tls.connect({ socket: plain, ...tlsOptions(this.opts) }), this.where, this.opts.timeoutMs);
    this.socket = secure;
    this.attach(secure);
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => this.reader.push(d));
    socket.on('error', (err: NodeJS.ErrnoException) => this.markClosed(socketErrorText(err, this.where)));
    socket.on('close', () => this.markClosed(`${this.where} closed the connection`));
  }

  private markClosed(reason: string): void {
    this.reader.fail(new ClientError('lost', `connection lost: ${reason}`));
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closeListeners) fn(reason);
  }

  private protocolError(msg: string): ClientError {
    this.socket.destroy();
    this.markClosed(msg);
    return new ClientError('lost', msg);
  }
}

function tlsOptions(opts: ConnectOptions): tls.ConnectionOptions {
  return {
    servername: net.isIP(opts.host) ? undefined : opts.host,
    ...(opts.ca ? { ca: [...tls.rootCertificates, opts.ca.toString()] } : {}),
    rejectUnauthorized: !opts.insecure,
  };
}

function connectSocket(opts: ConnectOptions, where: string): Promise<net.Socket> {
  if (opts.tls === 'implicit') return handshake(tls.connect({ host: opts.host, port: opts.port, ...tlsOptions(opts) }), where, opts.timeoutMs);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: opts.host, port: opts.port });
    const t = setTimeout(() => { s.destroy(); reject(new ClientError('connect', `cannot connect to ${where}: timed out`)); }, opts.timeoutMs);
    s.once('connect', () => { clearTimeout(t); s.removeAllListeners('error'); resolve(s); });
    s.once('error', (err: NodeJS.ErrnoException) => { clearTimeout(t); reject(new ClientError('connect', socketErrorText(err, where))); });
  });
}

function handshake(s: tls.TLSSocket, where: string, timeoutMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { s.destroy(); reject(new ClientError('connect', `TLS with ${where} timed out`)); }, timeoutMs);
    s.once('secureConnect', () => { clearTimeout(t); s.removeAllListeners('error'); resolve(s); });
    s.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(t);
      const text = err.code?.startsWith('ERR_TLS') || /certificate|self.signed/i.test(err.message)
        ? `TLS with ${where} failed: ${err.message} (use --ca FILE to trust the server's certificate)`
        : socketErrorText(err, where);
      reject(new ClientError('connect', text));
    });
  });
}
