// When Keep renews an ACME certificate, and how it backs off after failures (issue 21).
import { describe, expect, it } from 'vitest';
import { DAY, nextAttempt, renewalDue, retryDelay } from '../../../../src/net/acme/schedule.ts';

describe('ACME renewal schedule', () => {
  it('renews a 90-day certificate 30 days before it expires', () => {
    expect(renewalDue({ notBefore: 0, notAfter: 90 * DAY })).toBe(60 * DAY);
  });

  it('renews a one-year certificate 30 days before it expires', () => {
    expect(renewalDue({ notBefore: 0, notAfter: 365 * DAY })).toBe(335 * DAY);
  });

  it('renews a short-lived certificate with a third of its life left', () => {
    expect(renewalDue({ notBefore: 0, notAfter: 45_000 })).toBe(30_000);
  });

  it.each([[1, 60_000], [2, 120_000], [5, 960_000], [20, 6 * 3600_000]])('waits %i failure(s) out with %i ms', (failures, ms) => {
    expect(retryDelay(failures)).toBe(ms);
  });

  it('orders at once without a certificate, at the due time with one, after the backoff on failure', () => {
    const current = { notBefore: 0, notAfter: 90 * DAY };
    expect(nextAttempt({ current: undefined, failures: 0, lastAttempt: 0, now: 5 })).toBe(5);
    expect(nextAttempt({ current, failures: 0, lastAttempt: 0, now: 5 })).toBe(60 * DAY);
    expect(nextAttempt({ current, failures: 3, lastAttempt: 61 * DAY, now: 61 * DAY })).toBe(61 * DAY + 240_000);
  });
});
