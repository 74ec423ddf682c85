// The byte stream of one IMAP connection: plain, TLS (implicit, or after STARTTLS) and DEFLATE
// (RFC 4978); output queued as wire byte strings and written with backpressure. It knows
// nothing of commands: the session decides when to upgrade, compress or end.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../log/index.ts';
import { upgradeToTls, type TlsMaterial } from '../../net/tls.ts';
import { Compression } from './compression.ts';

export interface ConnectionEvents {
  /** decoded bytes from the client */
  onData(chunk: Buffer): void;
  /** the socket closed (either side) */
  onClose(): void;
}

export class Connection {
  isTls: boolean;
  isClosed = false;
  readonly remoteAddress: string | undefined;
  private socket: Socket | TLSSocket;
  private compression: Compression | undefined;
  private out: string[] = [];
  private readonly onSocketData = (chunk: Buffer) => (this.compression ? this.compression.input(chunk) : this.events.onData(chunk));

  constructor(socket: Socket, private readonly tls: TlsMaterial, isImplicitTls: boolean, private readonly log: Logger, private readonly events: ConnectionEvents) {
    this.remoteAddress = socket.remoteAddress;
    this.isTls = isImplicitTls;
    this.socket = isImplicitTls ? upgradeToTls(socket, tls) : socket;
    this.socket.on('data', this.onSocketData);
    this.socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
    this.socket.on('close', () => {
      this.isClosed = true;
      this.events.onClose();
    });
  }

  get isCompressed(): boolean {
    return this.compression !== undefined;
  }

  /** Queue output (a wire byte string); it goes out on flush. */
  send(text: string): void {
    this.out.push(text);
  }

  /** Hand queued output to the socket; false when the socket asks the writer to wait. */
  flush(): boolean {
    if (this.out.length === 0 || this.isClosed) return true;
    const data = Buffer.from(this.out.length === 1 ? this.out[0]! : this.out.join(''), 'latin1');
    this.out = [];
    return this.compression ? this.compression.write(data) : this.socket.write(data);
  }

  /** Flush and wait until the socket has taken the output (or closed). */
  async drain(): Promise<void> {
    this.flush();
    if (this.compression) await this.compression.flushed();
    if (!this.socket.writableNeedDrain || this.isClosed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (!this.isClosed) this.socket.resume();
  }

  /** Server-side TLS from here on; bytes the client sent in the clear meanwhile are the caller's to drop. */
  startTls(): void {
    const plain = this.socket as Socket;
    plain.off('data', this.onSocketData);
    const secure = upgradeToTls(plain, this.tls);
    secure.on('data', this.onSocketData);
    secure.on('error', (err) => this.log.debug({ err }, 'tls error'));
    this.socket = secure;
    this.isTls = true;
  }

  /** DEFLATE both ways from here on. */
  startCompression(): void {
    this.compression = new Compression(this.socket, (chunk) => this.events.onData(chunk), (err) => {
      this.log.debug({ err }, 'compression failed');
      this.socket.destroy();
    });
  }

  /** Write what is queued, then close; a peer that does not close is cut off after 5 s. */
  end(): void {
    if (this.isClosed) return;
    this.flush();
    this.isClosed = true;
    const s = this.socket;
    const c = this.compression;
    if (c) void c.flushed().then(() => { s.end(); c.close(); });
    else s.end();
    setTimeout(() => s.destroy(), 5000).unref();
  }
}
