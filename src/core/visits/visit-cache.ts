// Decoded visit records, shared while their stored bytes stay the same. A visit holds a user's
// seen and flag sets for a room; a busy mailbox's runs to tens of kilobytes, and every IMAP
// session on it read and decoded it again for each command and for each change another session
// made (under imaptest's stress mode, a fifth of the worker's time went to that and to the
// garbage it left). Comparing the stored bytes costs a memcmp; when another process (keepd's
// command line) or an aborted write changed them, the record is decoded afresh.
import type { Database } from 'lmdb';
import type { Ranges, VisitRecord } from '../../store/index.ts';

type Key = [number, number];

const SETS = ['seen', 'answered', 'flagged', 'deleted', 'draft'] as const;

/**
 * What an entry holds in memory, roughly: decoded, a record is many times its stored bytes (a
 * [from, to] pair packs into a few bytes and takes some 75 on the heap; an empty record packs
 * into 16 and takes some 650), so the bound counts this estimate, not the stored size.
 */
export function visitCost(storedBytes: number, v: VisitRecord): number {
  let pairs = 0;
  for (const s of SETS) pairs += v[s].length;
  let keywords = 0;
  for (const k in v.keywords) {
    keywords++;
    pairs += v.keywords[k]!.length;
  }
  return 700 + storedBytes + pairs * 76 + keywords * 120;
}

/** Freeze the record, its sets and its keyword map: a change through one reader's copy would be every reader's. */
function freeze(v: VisitRecord): VisitRecord {
  for (const s of SETS) Object.freeze(v[s] as Ranges);
  for (const k in v.keywords) Object.freeze(v.keywords[k]);
  Object.freeze(v.keywords);
  return Object.freeze(v);
}

export class VisitCache {
  private readonly entries = new Map<string, { bytes: Uint8Array; record: VisitRecord; cost: number }>();
  private held = 0;

  /** `maxCost`: the estimated memory (visitCost) the entries may hold together, in bytes. */
  constructor(private readonly db: Database<VisitRecord, Key>, private readonly maxCost = 32 * 1024 * 1024) {}

  /** The estimated memory the entries hold now (visitCost summed). */
  get heldCost(): number {
    return this.held;
  }

  /**
   * The stored record, or undefined. Shared with other readers: read-only (the record, its sets
   * and its keyword map are frozen; the [from, to] pairs inside are not, for speed).
   */
  get(key: Key): VisitRecord | undefined {
    const id = `${key[0]}:${key[1]}`;
    const fast = this.db.getBinaryFast(key);
    // lmdb-js hands back a view of its shared read buffer whose `length` is the record's but whose
    // byteLength is the whole buffer's: a plain view of the record's bytes, valid until the next read
    const raw = fast?.subarray(0, fast.length);
    const hit = this.entries.get(id);
    if (!raw) {
      if (hit) this.forget(id, hit.cost);
      return undefined;
    }
    if (hit && hit.bytes.length === raw.length && Buffer.compare(hit.bytes, raw) === 0) {
      // most recently used last, so the oldest go first when over the bound
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.record;
    }
    // a copy of its own (getBinaryFast's buffer is reused by the next read), not a slice of
    // Buffer's shared pool, which would keep the pool's whole 8 KiB slab alive with it
    const bytes = Uint8Array.prototype.slice.call(raw);
    const record = this.db.get(key);
    if (!record) return undefined;
    if (hit) this.forget(id, hit.cost);
    const cost = visitCost(bytes.length, record);
    this.entries.set(id, { bytes, record: freeze(record), cost });
    this.held += cost;
    for (const [oldest, e] of this.entries) {
      if (this.held <= this.maxCost) break;
      this.forget(oldest, e.cost);
    }
    return record;
  }

  private forget(id: string, cost: number): void {
    this.entries.delete(id);
    this.held -= cost;
  }
}
