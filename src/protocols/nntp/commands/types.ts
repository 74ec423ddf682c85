// The shape of one command-table entry (STYLE.md §3): its precondition, HELP text, handler.
import type { Session } from '../session.ts';
import type { Command } from '../parser.ts';
import type { Reply } from '../render.ts';
import type { Draft } from './post.ts';

/** What the session does once the reply is written. */
export type After = { kind: 'close' } | { kind: 'starttls' } | { kind: 'post'; draft: Draft };

export type CommandResult = Reply & { after?: After };

export interface CommandSpec {
  /** 'reader': a logged-in user, or anyone when anonymous reading is on (480 otherwise) */
  needs: 'nothing' | 'reader';
  /** HELP text: arguments and what it does */
  summary: string;
  run(s: Session, cmd: Command): Promise<CommandResult> | CommandResult;
}

export type CommandTable = Record<string, CommandSpec>;
