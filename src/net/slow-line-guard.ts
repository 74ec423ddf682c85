// A limit on the time to send one line (issue 10): a client that trickles a command a byte at a
// time resets any idle timer, but not this one. The clock starts at the first byte of a line and
// stops at its end; if the line is still open after maxMs, onExpire runs (the translator says
// goodbye in its own words and closes). Protocol-neutral: it only knows what a newline is.
import type { Duplex } from 'node:stream';

export interface LineClock {
  /** cleartext bytes as they arrive */
  feed(chunk: Buffer | string): void;
  stop(): void;
}

export type SlowLineGuard = Pick<LineClock, 'stop'>;

/** A clock fed by the translator (for sessions whose cleartext is not one socket's 'data'). */
export function lineClock(opts: { maxMs: number; onExpire: () => void }): LineClock {
  let timer: NodeJS.Timeout | undefined;
  let isStopped = opts.maxMs <= 0;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    feed(chunk) {
      if (isStopped) return;
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const lastNewline = b.lastIndexOf(0x0a);
      if (lastNewline === b.length - 1) return clear(); // every line in this chunk is complete
      if (lastNewline >= 0) clear(); // a new line started after the last newline
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        opts.onExpire();
      }, opts.maxMs);
      timer.unref();
    },
    stop() {
      isStopped = true;
      clear();
    },
  };
}

/** The clock on a socket's own 'data' events. */
export function guardSlowLines(socket: Duplex, opts: { maxMs: number; onExpire: () => void }): SlowLineGuard {
  const clock = lineClock(opts);
  const onData = (chunk: Buffer | string) => clock.feed(chunk);
  socket.on('data', onData);
  socket.once('close', () => clock.stop());
  return {
    stop() {
      clock.stop();
      socket.off('data', onData);
    },
  };
}
