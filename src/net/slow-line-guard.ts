// A limit on the time to send one line (issue 10): a client that trickles a command a byte at a
// time resets any idle timer, but not this one. The clock starts at the first byte of a line and
// stops at its end; if the line is still open after maxMs, onExpire runs (the translator says
// goodbye in its own words and closes). Protocol-neutral: it only knows what a newline is.
import type { Duplex } from 'node:stream';

export interface SlowLineGuard {
  /** stop watching (the session closes, or switches to a binary phase such as TLS) */
  stop(): void;
}

export function guardSlowLines(socket: Duplex, opts: { maxMs: number; onExpire: () => void }): SlowLineGuard {
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const onData = (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const lastNewline = b.lastIndexOf(0x0a);
    if (lastNewline === b.length - 1) return clear(); // every line in this chunk is complete
    if (lastNewline >= 0) clear(); // a new line started after the last newline
    if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        opts.onExpire();
      }, opts.maxMs);
      timer.unref();
    }
  };
  if (opts.maxMs <= 0) return { stop() {} };
  socket.on('data', onData);
  socket.once('close', clear);
  return {
    stop() {
      clear();
      socket.off('data', onData);
    },
  };
}
