// Command-line parsing for `keep`: global connection flags, a subcommand and its own flags.
// Pure: argv in, a typed value (or a usage error) out.
import { ClientError } from '../errors.ts';

export interface ParsedArgs {
  /** connection and output flags, by long name without the dashes */
  flags: Map<string, string | true>;
  /** the subcommand, or undefined for interactive mode */
  command: string | undefined;
  positional: string[];
}

/** Flags that take a value; every other `--name` is a switch. */
const VALUE_FLAGS = new Set(['host', 'port', 'user', 'password', 'config', 'ca', 'subject', 'last', 'timeout', 'poll', 'tls']);
const SWITCHES = new Set(['json', 'new', 'insecure', 'help']);
const SHORT: Record<string, string> = { h: 'help', H: 'host', p: 'port', u: 'user', s: 'subject', n: 'last', j: 'json' };

export function parseArgs(argv: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { words.push(...argv.slice(i + 1)); break; }
    const long = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    const short = /^-([a-zA-Z])$/.exec(arg);
    const name = long ? long[1]! : short ? SHORT[short[1]!] : undefined;
    if (!long && !short) { words.push(arg); continue; }
    if (!name || (!VALUE_FLAGS.has(name) && !SWITCHES.has(name))) throw new ClientError('usage', `unknown option ${arg} (see keep --help)`);
    if (!VALUE_FLAGS.has(name)) {
      if (long?.[2] !== undefined) throw new ClientError('usage', `option --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = long?.[2] ?? argv[++i];
    if (value === undefined) throw new ClientError('usage', `option --${name} needs a value`);
    flags.set(name, value);
  }
  return { flags, command: words[0], positional: words.slice(1) };
}

export function stringFlag(flags: ParsedArgs['flags'], name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** A positive integer flag, or a usage error naming the flag. */
export function intFlag(flags: ParsedArgs['flags'], name: string): number | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ClientError('usage', `--${name} needs a positive whole number, not '${v}'`);
  return n;
}
