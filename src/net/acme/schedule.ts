// When to (re)new a certificate: 30 days before it expires, or with a third of its life left when
// it is shorter-lived than 90 days (as Caddy and certbot do); after a failure, back off.
export const DAY = 86_400_000;
const RENEW_BEFORE = 30 * DAY;
const FIRST_RETRY = 60_000;
const MAX_RETRY = 6 * 3600_000;

export interface Validity {
  notBefore: number;
  notAfter: number;
}

/** The moment renewal becomes due. */
export function renewalDue(v: Validity): number {
  return v.notAfter - Math.min(RENEW_BEFORE, (v.notAfter - v.notBefore) / 3);
}

/** Delay before the next try after `failures` failed ones in a row: 1 min, doubling, at most 6 h. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY, FIRST_RETRY * 2 ** Math.max(0, failures - 1));
}

/** When to try next: now without a certificate, at the due time with one, later after failures. */
export function nextAttempt(opts: { current: Validity | undefined; failures: number; lastAttempt: number; now: number }): number {
  if (opts.failures > 0) return opts.lastAttempt + retryDelay(opts.failures);
  if (!opts.current) return opts.now;
  return renewalDue(opts.current);
}
