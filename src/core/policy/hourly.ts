// A sliding one-hour count per key (an address, an account), for limits counted per hour:
// self-registrations per address, Internet recipients per account. Kept in the store's meta
// table as well as in memory, so a restarted worker, or one a hostile client managed to crash,
// still knows how much of the hour's allowance each key has used.
import type { Store } from '../../store/index.ts';

const HOUR_MS = 3600_000;

type Events = { at: number; n: number }[];

export class HourlyCounter {
  private events = new Map<string, Events>();
  private readonly prefix: string;

  /** `name` keys the counts in the store (meta `hourly:<name>:<key>`). */
  constructor(private readonly limit: number, private readonly store: Store, name: string, private readonly windowMs = HOUR_MS) {
    this.prefix = `hourly:${name}:`;
    const now = Date.now();
    for (const { key, value } of store.dbs.meta.getRange({ start: this.prefix, end: `${this.prefix}\uffff` })) {
      const live = (value as Events).filter((e) => e.at > now - this.windowMs);
      if (live.length) this.events.set(String(key).slice(this.prefix.length), live);
    }
  }

  /** How many were counted for the key within the window. */
  count(key: string, now = Date.now()): number {
    const list = this.live(key, now);
    return list.reduce((sum, e) => sum + e.n, 0);
  }

  /** Would n more stay within the limit? A limit of 0 means none. */
  allows(key: string, n = 1, now = Date.now()): boolean {
    return this.limit <= 0 || this.count(key, now) + n <= this.limit;
  }

  /** Count n for the key; durable when the promise resolves. */
  async add(key: string, n = 1, now = Date.now()): Promise<void> {
    const list = this.live(key, now);
    list.push({ at: now, n });
    this.events.set(key, list);
    const stale = this.events.size > 100_000 ? this.prune(now) : [];
    await this.store.write(() => {
      this.store.dbs.meta.putSync(this.prefix + key, list);
      for (const k of stale) this.store.dbs.meta.removeSync(this.prefix + k);
    });
  }

  private live(key: string, now: number): Events {
    const list = (this.events.get(key) ?? []).filter((e) => e.at > now - this.windowMs);
    if (list.length === 0) this.events.delete(key);
    else this.events.set(key, list);
    return list;
  }

  /** Forget keys with nothing left in the window; returns them, to remove from the store too. */
  private prune(now: number): string[] {
    const gone: string[] = [];
    for (const key of [...this.events.keys()]) if (this.live(key, now).length === 0) gone.push(key);
    return gone;
  }
}

/**
 * Remove the stored counts of keys with nothing left in the last hour, from every counter (the
 * counters themselves drop them only past 100,000 live keys, so one-off addresses would pile up
 * otherwise). A periodic pass (housekeeping) calls this: each write looks at `batch` keys at
 * most, so other writes wait little, and one pass looks at `maxKeys` at most, going on after
 * `from` (where the last pass stopped; undefined when it reached the end), so many live keys
 * do not keep a pass from the stale ones behind them. Every counter counts over the hour.
 */
export async function pruneHourly(store: Store, now = Date.now(), opts: { batch?: number; maxKeys?: number; from?: string } = {}): Promise<{ removed: number; from?: string }> {
  const batch = opts.batch ?? 1000;
  const maxKeys = opts.maxKeys ?? 100_000;
  const end = 'hourly:\uffff';
  let start = opts.from ?? 'hourly:';
  let seen = 0;
  let removed = 0;
  while (seen < maxKeys) {
    const limit = Math.min(batch, maxKeys - seen);
    const step = await store.write(() => {
      let n = 0;
      let gone = 0;
      let last: string | undefined;
      for (const { key, value } of store.dbs.meta.getRange({ start, end, limit })) {
        n++;
        last = String(key);
        // read in the write, so a count added meanwhile is seen and kept
        if (!(value as Events).some((e) => e.at > now - HOUR_MS)) {
          store.dbs.meta.removeSync(key);
          gone++;
        }
      }
      return { n, gone, last };
    });
    seen += step.n;
    removed += step.gone;
    if (step.last === undefined || step.n < limit) return { removed };
    start = `${step.last}\u0000`;
  }
  return { removed, from: start };
}

/**
 * The address part of an actor's origin ('native:127.0.0.1' → '127.0.0.1', 'imap:::1' → '::1'),
 * with an IPv4-mapped IPv6 address in its IPv4 form, so every protocol counts one address once.
 */
export function addressOf(origin: string): string {
  return origin.replace(/^[a-z-]+:/, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/**
 * Which keys have tripped a limit lately, so a tripped limit is audited once per window and
 * key rather than on every refused attempt (each audit entry is a durable write).
 */
export class TripLog {
  private last = new Map<string, number>();

  constructor(private readonly windowMs = HOUR_MS) {}

  /** Run `record` unless this key tripped within the window. */
  async note(key: string, record: () => Promise<void>, now = Date.now()): Promise<void> {
    const at = this.last.get(key);
    if (at !== undefined && now - at < this.windowMs) return;
    this.last.set(key, now);
    if (this.last.size > 100_000) for (const [k, t] of this.last) if (now - t >= this.windowMs) this.last.delete(k);
    await record();
  }
}
