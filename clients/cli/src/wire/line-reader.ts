// Line framing for the Citadel protocol: lines end in "\n" (a "\r" before it is dropped, §1).
// Lines are queued until asked for, so a reply that arrives early is never lost.
import { StringDecoder } from 'node:string_decoder';

export class LineReader {
  private buf = '';
  /** keeps a UTF-8 character that is split across two TCP chunks whole */
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines: string[] = [];
  private waiter: { resolve: (l: string) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(private readonly maxLine = 1 << 20) {}

  push(chunk: Buffer | string): void {
    this.buf += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let i;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      this.deliver(this.buf.slice(0, i).replace(/\r$/, ''));
      this.buf = this.buf.slice(i + 1);
    }
    // a server that never ends a line must not make us buffer without bound
    if (this.buf.length > this.maxLine) this.fail(new Error(`server sent a line longer than ${this.maxLine} bytes`));
  }

  /** The connection ended: pending and future reads fail with this error. */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  private deliver(line: string): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve(line);
    } else {
      this.lines.push(line);
    }
  }
}
