// Per-connection flood control.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../src/protocols/chat/rate.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refuses until it refills at the rate', () => {
    const b = new TokenBucket(10, 30, 0);
    const taken = Array.from({ length: 40 }, () => b.take(0)).filter(Boolean).length;
    expect(taken).toBe(30);
    expect(b.take(50)).toBe(false); // half a token after 50 ms
    expect(b.take(100)).toBe(true); // one token after 100 ms
    expect(b.take(100)).toBe(false);
  });

  it('never holds more than the burst', () => {
    const b = new TokenBucket(10, 3, 0);
    const taken = Array.from({ length: 10 }, () => b.take(60_000)).filter(Boolean).length;
    expect(taken).toBe(3);
  });
});
