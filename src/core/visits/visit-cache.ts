// Decoded visit records, shared while their stored bytes stay the same. A visit holds a user's
// seen and flag sets for a room; a busy mailbox's runs to tens of kilobytes, and every IMAP
// session on it read and decoded it again for each command and for each change another session
// made (under imaptest's stress mode, a fifth of the worker's time went to that and to the
// garbage it left). Comparing the stored bytes costs a memcmp; when another process (keepd's
// command line) or an aborted write changed them, the record is decoded afresh.
import type { Database } from 'lmdb';
import type { VisitRecord } from '../../store/index.ts';

type Key = [number, number];

export class VisitCache {
  private readonly entries = new Map<string, { bytes: Buffer; record: VisitRecord }>();
  private bytesHeld = 0;

  constructor(private readonly db: Database<VisitRecord, Key>, private readonly maxBytes = 16 * 1024 * 1024) {}

  /** The stored record, or undefined. Shared with other readers: treat it as read-only (it is frozen). */
  get(key: Key): VisitRecord | undefined {
    const id = `${key[0]}:${key[1]}`;
    const fast = this.db.getBinaryFast(key);
    // lmdb-js hands back a view of its shared read buffer whose `length` is the record's but whose
    // byteLength is the whole buffer's: a plain view of the record's bytes, valid until the next read
    const raw = fast?.subarray(0, fast.length);
    const hit = this.entries.get(id);
    if (!raw) {
      if (hit) this.forget(id, hit.bytes.length);
      return undefined;
    }
    if (hit && hit.bytes.equals(raw)) {
      // most recently used last, so the oldest go first when over the bound
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.record;
    }
    const bytes = Buffer.from(raw); // getBinaryFast's buffer is reused by the next read
    const record = this.db.get(key);
    if (!record) return undefined;
    if (hit) this.forget(id, hit.bytes.length);
    Object.freeze(record);
    this.entries.set(id, { bytes, record });
    this.bytesHeld += bytes.length;
    for (const [oldest, e] of this.entries) {
      if (this.bytesHeld <= this.maxBytes) break;
      this.forget(oldest, e.bytes.length);
    }
    return record;
  }

  private forget(id: string, size: number): void {
    this.entries.delete(id);
    this.bytesHeld -= size;
  }
}
