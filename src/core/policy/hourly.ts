// A sliding one-hour count per key (an address, an account), for limits counted per hour:
// self-registrations per address, Internet recipients per account. Kept in memory: a worker
// restart forgets it, which errs towards letting a real user in.
const HOUR_MS = 3600_000;

export class HourlyCounter {
  private events = new Map<string, { at: number; n: number }[]>();

  constructor(private readonly limit: number, private readonly windowMs = HOUR_MS) {}

  /** How many were counted for the key within the window. */
  count(key: string, now = Date.now()): number {
    const list = this.live(key, now);
    return list.reduce((sum, e) => sum + e.n, 0);
  }

  /** Would n more stay within the limit? A limit of 0 means none. */
  allows(key: string, n = 1, now = Date.now()): boolean {
    return this.limit <= 0 || this.count(key, now) + n <= this.limit;
  }

  add(key: string, n = 1, now = Date.now()): void {
    const list = this.live(key, now);
    list.push({ at: now, n });
    this.events.set(key, list);
    if (this.events.size > 100_000) this.prune(now);
  }

  private live(key: string, now: number): { at: number; n: number }[] {
    const list = (this.events.get(key) ?? []).filter((e) => e.at > now - this.windowMs);
    if (list.length === 0) this.events.delete(key);
    else this.events.set(key, list);
    return list;
  }

  private prune(now: number): void {
    for (const key of [...this.events.keys()]) this.live(key, now);
  }
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
