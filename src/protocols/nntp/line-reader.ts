// CRLF (or bare LF) line splitting with a length limit, for commands and POST article lines.
// Kept in this translator: the limit reply and what a "line" means during POST are NNTP's.

export interface Line {
  /** the line without its line end */
  bytes: Buffer;
  /** the line was longer than the limit; its bytes were dropped */
  isTooLong: boolean;
}

export class LineReader {
  private parts: Buffer[] = [];
  private held = 0;
  private isOverflowing = false;

  constructor(private readonly maxLength: number) {}

  /** Feed bytes; returns the complete lines they finish. */
  push(chunk: Buffer): Line[] {
    const out: Line[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!this.isOverflowing) {
        this.parts.push(chunk.subarray(start, end));
        this.held += end - start;
        if (this.held > this.maxLength + 1) this.overflow();
      }
      if (nl < 0) break;
      out.push(this.finish());
      start = nl + 1;
    }
    return out;
  }

  private overflow(): void {
    this.isOverflowing = true;
    this.parts = [];
    this.held = 0;
  }

  private finish(): Line {
    if (this.isOverflowing) {
      this.isOverflowing = false;
      return { bytes: Buffer.alloc(0), isTooLong: true };
    }
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    if (bytes.length && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    this.parts = [];
    this.held = 0;
    return bytes.length > this.maxLength ? { bytes: Buffer.alloc(0), isTooLong: true } : { bytes, isTooLong: false };
  }
}
