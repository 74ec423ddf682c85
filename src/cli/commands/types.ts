import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';

export interface CliContext {
  config: Config;
  /** positional arguments and unknown flags after the command words */
  args: string[];
  log: Logger;
}

/** A subcommand's code: imported only when that command runs. */
export interface CliRunner {
  run(ctx: CliContext): Promise<number>;
}

/** A subcommand as the table (commands/index.ts) lists it. */
export interface CliCommand {
  summary: string;
  usage: string;
  details?: string;
  load(): Promise<CliRunner>;
}
