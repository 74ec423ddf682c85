// COMPRESS=DEFLATE (RFC 4978): raw DEFLATE both ways after the tagged OK. Every batch of
// output is sync-flushed so the client can decode each reply as soon as it arrives.
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
import type { Codec } from '../../net/session-kit.ts';

export class Compression implements Codec {
  private readonly deflate = zlib.createDeflateRaw();
  private readonly inflate = zlib.createInflateRaw();

  constructor(socket: Socket, onData: (chunk: Buffer) => void, onError: (err: Error) => void) {
    this.deflate.on('data', (d: Buffer) => {
      if (!socket.destroyed && socket.writable) socket.write(d);
    });
    this.inflate.on('data', onData);
    this.deflate.on('error', onError);
    this.inflate.on('error', onError);
  }

  /** Compressed bytes from the client. */
  input(chunk: Buffer): void {
    this.inflate.write(chunk);
  }

  /** Compress and send (the session kit bounds what waits, counting `pending`). */
  write(data: Buffer): void {
    this.deflate.write(data);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH);
  }

  /** Bytes handed to DEFLATE that have not reached the socket yet. */
  get pending(): number {
    return this.deflate.writableLength + this.deflate.readableLength;
  }

  /** Resolves when everything written so far has been compressed and handed to the socket. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
  }

  close(): void {
    this.deflate.destroy();
    this.inflate.destroy();
  }
}
