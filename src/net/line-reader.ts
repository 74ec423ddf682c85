// Line framing for the line protocols (native, NNTP): LF-terminated lines, an optional CR before
// the LF dropped, and a length limit. Pure: bytes in, lines out. What a too-long line means, and
// what a line is (a command, article text), is each translator's business.

export interface Line {
  /** the line without its line end; empty when it was too long */
  bytes: Buffer;
  /** longer than the limit: its bytes were dropped up to the next LF */
  isTooLong: boolean;
  /** how many bytes the line had (without LF) */
  length: number;
}

export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  /** bytes dropped from the current overlong line (0 = not dropping) */
  private dropped = 0;

  constructor(private readonly maxLength: number) {}

  /** Feed bytes; returns the complete lines in order. */
  push(chunk: Buffer): Line[] {
    const out: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        this.keep(chunk.subarray(start));
        return out;
      }
      this.keep(chunk.subarray(start, nl));
      out.push(this.finish());
      start = nl + 1;
    }
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.dropped > 0 || this.size + bytes.length > this.maxLength + 1) {
      // +1 leaves room for a CR that is not part of the line
      this.dropped += this.size + bytes.length;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private finish(): Line {
    if (this.dropped > 0) {
      const length = this.dropped;
      this.dropped = 0;
      return { bytes: Buffer.alloc(0), isTooLong: true, length };
    }
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > this.maxLength) return { bytes: Buffer.alloc(0), isTooLong: true, length: bytes.length };
    return { bytes, isTooLong: false, length: bytes.length };
  }

  /** Forget any partial line (STARTTLS: clear-text bytes must not survive the upgrade). */
  reset(): void {
    this.parts = [];
    this.size = 0;
    this.dropped = 0;
  }

  /** Bytes held for an unfinished line (a client that disconnects mid-line). */
  get pending(): number {
    return this.size + this.dropped;
  }
}
