// COMPRESS=DEFLATE (RFC 4978): raw DEFLATE both ways after the tagged OK. Every batch of
// output is sync-flushed so the client can decode each reply as soon as it arrives.
import type { Socket } from 'node:net';
import zlib from 'node:zlib';

export class Compression {
  private readonly deflate = zlib.createDeflateRaw();
  private readonly inflate = zlib.createInflateRaw();

  constructor(private readonly socket: Socket, onData: (chunk: Buffer) => void, onError: (err: Error) => void) {
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

  /** Compress and send; false when the socket asks the writer to wait. */
  write(data: Buffer): boolean {
    this.deflate.write(data);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH);
    return this.socket.writableLength < this.socket.writableHighWaterMark;
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
