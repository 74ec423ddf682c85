// keep: parse the command line, run one subcommand or the interactive client, and turn every
// failure into one line on stderr and an exit code (errors.ts).
import type { KeepSession } from './api/session.ts';
import { subcommands } from './commands/index.ts';
import type { CommandContext } from './commands/types.ts';
import { ClientError, describeError } from './errors.ts';
import { runInteractive } from './interactive/index.ts';
import { parseArgs, type ParsedArgs } from './options/args.ts';
import { login } from './login.ts';
import { resolveSettings, type Settings } from './options/settings.ts';
import { usageText } from './options/usage.ts';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.flags.get('help') === true || args.command === 'help') {
    process.stdout.write(usageText());
    return 0;
  }
  const settings = resolveSettings(args.flags, process.env);
  if (args.command === undefined) {
    // the terminal (and whatever an external editor left attached to it) must not keep us alive;
    // writes to a TTY are synchronous, so nothing on screen is lost
    process.exit(await runInteractive(settings));
  }
  const cmd = subcommands[args.command];
  if (!cmd) throw new ClientError('usage', `unknown command '${args.command}' (see keep --help)`);
  cmd.validate?.(args);
  const ctx = commandContext(args, settings);
  try {
    await cmd.run(ctx);
  } finally {
    await ctx.close();
  }
  return 0;
}

function commandContext(args: ParsedArgs, settings: Settings): CommandContext & { close(): Promise<void> } {
  let opened: Promise<KeepSession> | undefined;
  return {
    args,
    isJson: args.flags.get('json') === true,
    session: () => (opened ??= login(settings).then((l) => l.session)),
    readStdin,
    print: (text) => { process.stdout.write(text); },
    async close() {
      // a session that failed to open has already been reported by the command that awaited it
      const s = await opened?.catch(() => undefined);
      await s?.close();
    },
  };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Type the message; end it with Ctrl-D on a line of its own.\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    const { line, exitCode } = describeError(e);
    process.stderr.write(`keep: ${line}\n`);
    process.exitCode = exitCode;
  },
);
