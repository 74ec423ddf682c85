// The command table's types (STYLE.md §3): a verb maps to what the session must be in and a
// small handler. The dispatcher checks `needs` once, so handlers never start with a guard.
import type { Actor } from '../../../core/index.ts';
import type { Command } from '../parser.ts';
import type { Reply } from '../reply.ts';
import type { ErrorOverrides } from '../errors.ts';
import type { Session } from '../session.ts';

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** A logged-in session with a current room: what 'room' handlers receive. */
export interface InRoom {
  s: Session;
  actor: UserActor;
  roomnum: number;
}

interface Common {
  /** one line for HELP; names the protocol/ heading that documents the verb */
  summary: string;
  /** per-command subcodes for core error kinds (GOTO: not-found → 572) */
  errors?: ErrorOverrides;
  /** does not count as activity for RWHO's idle time (NOOP, GEXP, RWHO, TIME) */
  isKeepalive?: boolean;
}

export type Entry =
  | (Common & { needs: 'none'; run: (s: Session, c: Command) => Reply | Promise<Reply> })
  | (Common & { needs: 'room'; run: (r: InRoom, c: Command) => Reply | Promise<Reply> });

export type CommandTable = Record<string, Entry>;
