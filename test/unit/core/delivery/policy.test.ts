// The outbound retry policy: doubling backoff up to 4 h, bounce on a permanent failure or at the
// end of the lifetime.
import { describe, expect, it } from 'vitest';
import { backoffMs, decide, MAX_BACKOFF_MS } from '../../../../src/core/delivery/policy.ts';

describe('outbound retry backoff', () => {
  it.each([
    [1, 300, 300_000], [2, 300, 600_000], [3, 300, 1_200_000], [6, 300, 9_600_000], [7, 300, MAX_BACKOFF_MS], [50, 300, MAX_BACKOFF_MS],
    [0, 1, 1000], [1, 1, 1000], [4, 1, 8000],
  ])('after attempt %i with a %i s minimum waits %i ms', (attempts, min, ms) => {
    expect(backoffMs(attempts, min)).toBe(ms);
  });
});

describe('outbound retry decision', () => {
  const s = { retryMinS: 60, lifetimeS: 3600 };
  const now = 1_000_000_000;
  it.each([
    [{ kind: 'sent' } as const, 0, { kind: 'delivered' }],
    [{ kind: 'permanent', error: '550 no' } as const, 0, { kind: 'bounce', isExpiry: false }],
    [{ kind: 'temporary', error: '451 later' } as const, 0, { kind: 'defer', retryAt: now + 120_000 }],
    [{ kind: 'temporary', error: '451 later' } as const, 3600_000, { kind: 'bounce', isExpiry: true }],
  ])('%j after %i ms in the queue: %j', (out, age, want) => {
    expect(decide({ attempts: 2, firstAttempt: now - age }, out, s, now)).toEqual(want);
  });
});
