// keepd: the server command. One table from subcommand to a small handler; errors become
// one clear line on stderr and a non-zero exit, never a stack trace alone.
// Only the config and the command table load up front: a command's code (and the store, core and
// logger behind it) is imported when it runs, so `keepd --help` stays fast.
import { ConfigError, loadConfig, settingsHelp, type Config } from '../config/index.ts';
import { COMMANDS, type CliCommand } from './commands/index.ts';
import { UsageError } from './usage-error.ts';

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(22)} ${c.summary}`);
  return `usage: keepd <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nsettings (flag, environment variable; a JSON file with --config FILE or KEEP_CONFIG):\n${settingsHelp()}\n`;
}

function findCommand(args: string[]): { cmd: CliCommand; name: string; rest: string[] } | undefined {
  const two = `${args[0]} ${args[1]}`;
  if (args.length >= 2 && COMMANDS[two]) return { cmd: COMMANDS[two]!, name: two, rest: args.slice(2) };
  if (args[0] && COMMANDS[args[0]]) return { cmd: COMMANDS[args[0]]!, name: args[0], rest: args.slice(1) };
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const positional = argv.slice(0, 2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(help());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(positional);
  if (!found) {
    process.stderr.write(`keepd: unknown command '${positional.slice(0, 2).join(' ')}' (try keepd --help)\n`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`usage: keepd ${found.name} ${found.cmd.usage}\n\n${found.cmd.summary}\n${found.cmd.details ?? ''}`);
    return 0;
  }
  let config: Config;
  let rest: string[];
  try {
    ({ config, rest } = loadConfig({ argv: argv.slice(), env: process.env }));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`keepd: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // the command words come first; what follows them are the command's own arguments
  const args = rest.slice(found.name.split(' ').length);
  const { createLogger } = await import('../log/index.ts');
  const log = createLogger({ level: found.name === 'serve' ? config.logLevel : (process.env.KEEP_LOG_LEVEL ?? 'warn') });
  try {
    const runner = await found.cmd.load();
    return await runner.run({ config, args: args.slice(), log });
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`keepd ${found.name}: ${err.message}\nusage: keepd ${found.name} ${found.cmd.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError || (await isDomainError(err))) {
      process.stderr.write(`keepd: ${(err as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`keepd: ${(err as Error).message ?? String(err)}\n`);
    log.error({ err }, 'command failed');
    return 1;
  }
}

/** A store or core error carries a message written for the user: print it without a stack. */
async function isDomainError(err: unknown): Promise<boolean> {
  const [{ StoreError }, { CoreError }] = await Promise.all([import('../store/index.ts'), import('../core/index.ts')]);
  return err instanceof StoreError || err instanceof CoreError;
}
