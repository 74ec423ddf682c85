// Messages are immutable and message numbers never reused, so the records and their rendered
// ENVELOPE / BODYSTRUCTURE can be shared by every session: a bounded LRU keyed by msgnum.
// Access is still core's: a miss reads through core.messages.get (room access checked), and a
// hit is only used for a message in the selected room's view, whose access the FETCH checked.
import type { Message } from '../../core/index.ts';

export interface CachedMessage {
  msg: Message;
  envelope?: string;
  structure?: string;
  body?: string;
  /** PREVIEW text (RFC 8970) */
  preview?: string;
}

export class MessageCache {
  private readonly map = new Map<number, CachedMessage>();

  constructor(private readonly max: number) {}

  /** The cached entry, or the one `load` returns (then cached). */
  get(msgnum: number, load: () => Message): CachedMessage {
    const hit = this.map.get(msgnum);
    if (hit) {
      this.map.delete(msgnum);
      this.map.set(msgnum, hit);
      return hit;
    }
    const entry: CachedMessage = { msg: load() };
    this.map.set(msgnum, entry);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    return entry;
  }

  get size(): number {
    return this.map.size;
  }
}
