import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardSlowLines } from '../../../src/net/slow-line-guard.ts';

afterEach(() => { vi.useRealTimers(); });

describe('guardSlowLines', () => {
  it('fires when one line stays open past the limit, however often bytes arrive', () => {
    vi.useFakeTimers();
    const s = new PassThrough();
    const onExpire = vi.fn();
    guardSlowLines(s, { maxMs: 1000, onExpire });
    for (let i = 0; i < 9; i++) {
      s.emit('data', Buffer.from('x'));
      vi.advanceTimersByTime(100);
    }
    expect(onExpire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it('restarts the clock for every new line and stays quiet between lines', () => {
    vi.useFakeTimers();
    const s = new PassThrough();
    const onExpire = vi.fn();
    guardSlowLines(s, { maxMs: 1000, onExpire });
    s.emit('data', Buffer.from('NOOP'));
    vi.advanceTimersByTime(900);
    s.emit('data', Buffer.from('\r\nNO'));
    vi.advanceTimersByTime(900);
    s.emit('data', Buffer.from('OP\r\n'));
    vi.advanceTimersByTime(5000);
    expect(onExpire).not.toHaveBeenCalled();
  });

  it('does nothing once stopped or when the limit is 0', () => {
    vi.useFakeTimers();
    const s = new PassThrough();
    const onExpire = vi.fn();
    guardSlowLines(s, { maxMs: 1000, onExpire }).stop();
    guardSlowLines(s, { maxMs: 0, onExpire });
    s.emit('data', Buffer.from('partial'));
    vi.advanceTimersByTime(5000);
    expect(onExpire).not.toHaveBeenCalled();
  });
});
