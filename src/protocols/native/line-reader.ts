// Line framing for the native protocol (protocol/README.md §Wire basics): LF-terminated lines,
// an optional CR before the LF is dropped, and a length limit. Pure: bytes in, events out.

export type LineEvent =
  | { kind: 'line'; text: string }
  /** a line longer than the limit: its bytes were dropped up to the next LF */
  | { kind: 'overlong'; length: number };

export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  /** bytes dropped from the current overlong line (0 = not dropping) */
  private dropped = 0;

  constructor(private readonly maxLength: number) {}

  /** Feed bytes; returns the complete lines (and overlong notices) in order. */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
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

  private finish(): LineEvent {
    if (this.dropped > 0) {
      const length = this.dropped;
      this.dropped = 0;
      return { kind: 'overlong', length };
    }
    let buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    if (buf.length > this.maxLength) return { kind: 'overlong', length: buf.length };
    return { kind: 'line', text: buf.toString('utf8') };
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
