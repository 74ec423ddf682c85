import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';

export interface CliContext {
  config: Config;
  /** positional arguments and unknown flags after the command words */
  args: string[];
  log: Logger;
}

export interface CliCommand {
  summary: string;
  usage: string;
  details?: string;
  run(ctx: CliContext): Promise<number>;
}
