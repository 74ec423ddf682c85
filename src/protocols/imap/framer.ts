// Byte stream → complete IMAP commands (RFC 3501 §2.2, §7.5; RFC 7888 LITERAL+). Pure state
// machine, no I/O: the session feeds it chunks and acts on the events it returns. Literal
// sizes are checked against the limit when the marker is read, before any literal byte is.
import { literalMarker, type Frame } from './parser.ts';

export type FramerEvent =
  | { kind: 'frame'; frame: Frame }
  /** a synchronising literal is announced: the client waits for "+" */
  | { kind: 'continue' }
  /** a line longer than the limit: the stream cannot be resynchronised */
  | { kind: 'line-too-long' }
  /** a literal over the limit; sync ones were not sent, non-sync ones are on their way */
  | { kind: 'literal-too-big'; tag: string; size: number; isSync: boolean };

export interface FramerLimits {
  maxLine: number;
  /** largest literal a command may carry, by its first line (APPEND takes messages) */
  maxLiteral(firstLine: string): number;
}

export class Framer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private lines: string[] = [];
  private literals: Buffer[] = [];
  private frameBytes = 0;
  /** bytes of literal still to read, or -1 when reading a line */
  private literalLeft = -1;

  constructor(private readonly limits: FramerLimits) {}

  push(chunk: Buffer): FramerEvent[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: FramerEvent[] = [];
    for (let guard = 0; guard < 1_000_000; guard++) {
      const ev = this.literalLeft >= 0 ? this.readLiteral() : this.readLine();
      if (ev === undefined) break;
      if (ev !== 'progress') out.push(ev);
      if (ev !== 'progress' && ev.kind === 'line-too-long') break;
    }
    return out;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return head;
  }

  private readLiteral(): FramerEvent | 'progress' | undefined {
    if (this.buffered < this.literalLeft) return undefined;
    this.literals.push(Buffer.from(this.take(this.literalLeft)));
    this.literalLeft = -1;
    return 'progress';
  }

  private findNewline(): number {
    let base = 0;
    for (const c of this.chunks) {
      const i = c.indexOf(10);
      if (i >= 0) return base + i;
      base += c.length;
    }
    return -1;
  }

  private readLine(): FramerEvent | 'progress' | undefined {
    const nl = this.findNewline();
    if (nl < 0) return this.buffered > this.limits.maxLine ? { kind: 'line-too-long' } : undefined;
    if (nl > this.limits.maxLine) return { kind: 'line-too-long' };
    const raw = this.take(nl + 1);
    const line = raw.toString('latin1', 0, nl > 0 && raw[nl - 1] === 13 ? nl - 1 : nl);
    this.lines.push(line);
    this.frameBytes += line.length;
    const marker = literalMarker(line);
    if (!marker) return this.complete();
    const first = this.lines[0]!;
    const limit = this.limits.maxLiteral(first);
    if (marker.size > limit || this.frameBytes + marker.size > limit + this.limits.maxLine * 4 || this.lines.length > 1000) {
      const tag = first.split(' ', 1)[0] ?? '*';
      this.reset();
      return { kind: 'literal-too-big', tag, size: marker.size, isSync: marker.isSync };
    }
    this.frameBytes += marker.size;
    this.literalLeft = marker.size;
    return marker.isSync ? { kind: 'continue' } : 'progress';
  }

  private complete(): FramerEvent {
    const frame: Frame = { lines: this.lines, literals: this.literals };
    this.reset();
    return { kind: 'frame', frame };
  }

  private reset(): void {
    this.lines = [];
    this.literals = [];
    this.frameBytes = 0;
  }
}
