// The shape of one scriptable subcommand (`keep rooms`, `keep read`, …).
import type { KeepSession } from '../api/session.ts';
import type { ParsedArgs } from '../options/args.ts';

export interface CommandContext {
  args: ParsedArgs;
  isJson: boolean;
  /** connects and logs in on first use */
  session(): Promise<KeepSession>;
  /** all of standard input (a message body) */
  readStdin(): Promise<string>;
  print(text: string): void;
}

export interface SubCommand {
  usage: string;
  summary: string;
  /** checks arguments before anything connects, so bad usage exits 2 without a password prompt */
  validate?(args: ParsedArgs): void;
  run(ctx: CommandContext): Promise<void>;
}
