// Small helpers for subcommand options: --name value, --flag, positionals.
import { hostname, userInfo } from 'node:os';
import { UsageError } from '../usage-error.ts';

export function takeOption(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  if (a.includes('=')) {
    args.splice(i, 1);
    return a.slice(a.indexOf('=') + 1);
  }
  const v = args[i + 1];
  if (v === undefined) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

export function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

export function positionals(args: string[], n: number, names: string): string[] {
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  if (args.length !== n) throw new UsageError(`expected ${names}`);
  return args;
}

/** Where a command-line action comes from, for the audit log: cli:<os user>@<host>. */
export function cliOrigin(): string {
  let user = process.env.USER;
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry for this uid (containers): fall back to $USER
  }
  return `cli:${user ?? 'unknown'}@${hostname()}`;
}
