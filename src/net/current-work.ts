// What the worker is doing right now (issue 16): every session turn names its protocol,
// connection, user and command here, so a stalled event loop can be blamed on someone. The
// record lives in shared memory as well, where a small watcher thread (stall-reporter.ts) can
// still read it and tell the supervisor while the main thread is stuck.
import { performance } from 'node:perf_hooks';

export interface WorkRecord {
  proto: string;
  cid: number | string;
  user?: string | undefined;
  cmd: string;
}

/** Layout of the shared buffer: [0] sequence, [1] byte length of the JSON record, [2] loop tick, then the bytes. */
export const WORK_HEADER = 12;
const HEADER = WORK_HEADER;
const MAX_RECORD = 504;

class CurrentWork {
  private now: WorkRecord | undefined;
  /** the last record that ended, and when: a turn that blocked and then finished is still blamed */
  private last: { rec: WorkRecord; endedAt: number } | undefined;
  readonly shared = new SharedArrayBuffer(HEADER + MAX_RECORD);
  private readonly ints = new Int32Array(this.shared, 0, 3);
  private readonly bytes = new Uint8Array(this.shared, HEADER);
  private readonly encoder = new TextEncoder();

  /** A turn starts: who and what. */
  begin(rec: WorkRecord): void {
    this.now = rec;
    this.publish(rec);
  }

  /** The command became known (after parsing) or the user logged in mid-turn. */
  update(fields: Partial<WorkRecord>): void {
    if (!this.now) return;
    this.now = { ...this.now, ...fields };
    this.publish(this.now);
  }

  end(rec?: WorkRecord): void {
    if (!this.now || (rec && rec !== this.now)) return; // another turn has begun since
    this.last = { rec: this.now, endedAt: performance.now() };
    this.now = undefined;
    this.publish(undefined);
  }

  /** What is running, or what ran last since `since` (performance.now() ms). */
  blame(since: number): WorkRecord | undefined {
    if (this.now) return this.now;
    return this.last && this.last.endedAt >= since ? this.last.rec : undefined;
  }

  /** The main loop is turning (the watcher thread sees it stop). */
  tick(): void {
    Atomics.add(this.ints, 2, 1);
  }

  get current(): WorkRecord | undefined {
    return this.now;
  }

  private publish(rec: WorkRecord | undefined): void {
    let n = 0;
    if (rec) {
      const r = this.encoder.encodeInto(JSON.stringify(rec), this.bytes);
      // a record cut short is not JSON: the reader then reports it as unreadable
      n = r.written;
    }
    Atomics.store(this.ints, 1, n);
    Atomics.add(this.ints, 0, 1);
  }
}

/** The worker's one record (a process runs one event loop, so one turn at a time). */
export const currentWork = new CurrentWork();

/** Log fields for a record: the same keys as every session log line. */
export function workFields(rec: WorkRecord | undefined): Record<string, unknown> {
  if (!rec) return { work: 'none recorded' };
  return { proto: rec.proto, cid: rec.cid, ...(rec.user ? { user: rec.user } : {}), cmd: rec.cmd };
}
