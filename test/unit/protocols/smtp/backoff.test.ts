import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_BACKOFF_MS } from '../../../../src/protocols/smtp/outbound/backoff.ts';

describe('outbound retry backoff', () => {
  it.each([
    [1, 300, 300_000], [2, 300, 600_000], [3, 300, 1_200_000], [6, 300, 9_600_000], [7, 300, MAX_BACKOFF_MS], [50, 300, MAX_BACKOFF_MS],
    [0, 1, 1000], [1, 1, 1000], [4, 1, 8000],
  ])('after attempt %i with a %i s minimum waits %i ms', (attempts, min, ms) => {
    expect(backoffMs(attempts, min)).toBe(ms);
  });
});
