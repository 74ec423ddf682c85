// The session kit's limits (issue 16) and the reasons it ends a session on its own: what every
// line protocol takes from the settings, in one place.
import type { Config } from '../config/index.ts';

/** Why the kit ends a session on its own; the translator says goodbye in its words. */
export type CutReason = 'idle' | 'slow-command' | 'stall';

export interface KitLimits {
  /** unsent bytes above which the session stops running commands (KEEP_SESSION_MAX_BUFFERED) */
  maxBuffered: number;
  /** ms over the bound without the client reading a byte before it is cut off (KEEP_SESSION_STALL_TIMEOUT) */
  stallMs: number;
  /** ms of client silence before the session ends */
  idleMs: number;
  /** ms one line may take to arrive (0 off) */
  lineMs: number;
  /** pipelined items held before the socket stops being read */
  maxQueued: number;
}

/**
 * The limits every line protocol takes from the settings: the output bound and stall rule
 * (KEEP_SESSION_*), and a command line trickled in slower than KEEP_COMMAND_TIMEOUT ends the
 * session (issue 10); the idle time and the input queue are the translator's own.
 */
export function kitLimits(c: Config, own: { idleSeconds: number; maxQueued: number }): KitLimits {
  return {
    maxBuffered: c.sessionMaxBuffered, stallMs: c.sessionStallTimeout * 1000, idleMs: own.idleSeconds * 1000,
    lineMs: c.commandTimeout * 1000, maxQueued: own.maxQueued,
  };
}
