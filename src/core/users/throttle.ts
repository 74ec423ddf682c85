// Authentication-failure throttle, per remote address and per account, shared by every protocol.
// A locked key clears itself after the window, so the real user is never locked out for long.

export interface ThrottleOptions {
  limit: number;
  windowMs: number;
}

export class AuthThrottle {
  private failures = new Map<string, { count: number; until: number }>();

  constructor(private readonly opts: ThrottleOptions) {}

  /** True when this key has failed `limit` times within the window. */
  isLocked(key: string, now = Date.now()): boolean {
    const f = this.failures.get(key);
    if (!f) return false;
    if (f.until < now) {
      this.failures.delete(key);
      return false;
    }
    return f.count >= this.opts.limit;
  }

  /** Count a failure; true when this one locks the key (the moment to audit). */
  fail(key: string, now = Date.now()): boolean {
    const f = this.failures.get(key);
    let count = 1;
    if (!f || f.until < now) this.failures.set(key, { count: 1, until: now + this.opts.windowMs });
    else {
      f.count += 1;
      f.until = now + this.opts.windowMs;
      count = f.count;
    }
    if (this.failures.size > 100_000) this.prune(now);
    return count === this.opts.limit;
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [k, f] of this.failures) if (f.until < now) this.failures.delete(k);
  }
}
