// Authentication-failure throttle, per remote address and per account, shared by every protocol.
// A locked key clears itself after the window, so the real user is never locked out for long.
// Checks run one scrypt each (~100 ms): guesses sent in parallel would all pass isLocked before
// the first failure is counted, so at most as many checks run at once per key as it has
// failures left before the lock; the others wait their turn (a client opening five connections
// with the right password just waits a little).

export interface ThrottleOptions {
  limit: number;
  windowMs: number;
}

export class AuthThrottle {
  private failures = new Map<string, { count: number; until: number }>();
  private running = new Map<string, number>();
  private waiting: (() => void)[] = [];

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

  /**
   * Wait for a turn to check a secret against these keys: resolves with a release to call when
   * the check has counted its outcome, or with undefined once a key is locked.
   */
  async turn(keys: string[]): Promise<(() => void) | undefined> {
    for (;;) {
      const now = Date.now();
      if (keys.some((k) => this.isLocked(k, now))) return undefined;
      const left = (k: string) => this.opts.limit - (this.failures.get(k)?.count ?? 0) - (this.running.get(k) ?? 0);
      if (keys.every((k) => left(k) > 0)) {
        for (const k of keys) this.running.set(k, (this.running.get(k) ?? 0) + 1);
        let isDone = false;
        return () => {
          if (isDone) return;
          isDone = true;
          for (const k of keys) {
            const n = (this.running.get(k) ?? 1) - 1;
            if (n > 0) this.running.set(k, n);
            else this.running.delete(k);
          }
          for (const wake of this.waiting.splice(0)) wake();
        };
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [k, f] of this.failures) if (f.until < now) this.failures.delete(k);
  }
}
