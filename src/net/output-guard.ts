// The output bound and stall rule for sessions whose wire layer is a library that writes the
// socket itself (smtp-server, ws): the same rules as the session kit's, applied from outside. While
// more than maxBuffered bytes wait for the client, its socket is not read (so no further
// commands run); a client that takes none of them for stallMs is cut off after its goodbye.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log/index.ts';
import { kernelUnsent } from './kernel-queue.ts';
import { holdable, type InputHold } from './input-hold.ts';

const CHECK_MS = 250;

export interface OutputGuardOptions {
  /** unsent bytes above which the input is held (KEEP_SESSION_MAX_BUFFERED) */
  maxBuffered: number;
  /**
   * Unsent bytes above which the stall watch runs (default maxBuffered). smtp-server stops
   * taking commands itself while its socket needs draining, so it never gets near maxBuffered:
   * SMTP watches from any unsent reply, or a client that never reads would wait forever.
   */
  watchAbove?: number;
  stallMs: number;
  log: Logger;
  /** say goodbye in the protocol's words; the guard resets the connection right after */
  onStall(writer: Duplex): void;
}

export interface OutputGuard {
  /** the stream that writes to the socket from now on (a TLS socket after STARTTLS) */
  writer(s: Duplex): void;
  /** unsent bytes above the bound: the input is held */
  readonly isOver: boolean;
}

/**
 * Watch `socket` (the accepted TCP socket) and, once set, the stream that writes to it. A check
 * runs only while writes are pending, so idle connections cost nothing. The input is held with
 * input-hold.ts, so a pause the library made for its own reasons outlasts the guard's release.
 */
export function guardOutput(socket: Socket, opts: OutputGuardOptions): OutputGuard {
  let writer: Duplex = socket;
  const holds: InputHold[] = [holdable(socket)];
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  let progressAt = 0;
  const watchAbove = opts.watchAbove ?? opts.maxBuffered;
  const pending = () => socket.writableLength + (writer === socket ? 0 : writer.writableLength);
  const check = () => {
    timer = undefined;
    if (socket.destroyed) return;
    const level = pending() + (kernelUnsent(socket) ?? 0);
    const now = Date.now();
    if (pending() <= opts.maxBuffered) for (const h of holds) h.release();
    if (pending() <= watchAbove) return;
    if (level < last || progressAt === 0) progressAt = now;
    last = level;
    if (now - progressAt >= opts.stallMs) {
      opts.log.warn({ unsent: pending(), stalledMs: now - progressAt }, 'client stopped reading; cutting it off');
      try {
        opts.onStall(writer);
      } finally {
        socket.resetAndDestroy();
      }
      return;
    }
    schedule();
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(check, CHECK_MS).unref();
  };
  const onWrite = () => {
    if (pending() <= watchAbove) return;
    // stop taking commands until the client reads (the library reads through 'data' or pipe)
    if (pending() > opts.maxBuffered) for (const h of holds) h.hold();
    if (!timer) {
      progressAt = 0;
      last = Number.POSITIVE_INFINITY;
      check();
    }
  };
  const wrap = (s: Duplex) => {
    const write = s.write.bind(s) as (...a: unknown[]) => boolean;
    (s as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
      const ok = write(...a);
      if (!ok) onWrite();
      return ok;
    };
  };
  wrap(socket);
  socket.once('close', () => { if (timer) clearTimeout(timer); });
  return {
    writer(s: Duplex) {
      writer = s;
      wrap(s);
      holds.push(holdable(s));
    },
    get isOver() {
      return pending() > opts.maxBuffered;
    },
  };
}
