// Where the client connects and as whom: flag > environment > config file > default.
// The config file is JSON: {"host", "port", "user", "password", "tls", "ca"}; its path is
// --config, KEEP_CLIENT_CONFIG, or $XDG_CONFIG_HOME/keep/client.json (~/.config/keep/client.json).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ClientError } from '../errors.ts';
import type { TlsMode } from '../wire/connection.ts';
import { stringFlag, type ParsedArgs } from './args.ts';

export interface Settings {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  tls: TlsMode;
  ca: Buffer | undefined;
  insecure: boolean;
  timeoutMs: number;
  /** interactive mode: seconds between keepalive NOOPs (which also fetch instant messages) */
  pollSeconds: number;
}

const DEFAULT_PORT = 5040;
const DEFAULT_TLS_PORT = 5041;
const TLS_MODES: readonly TlsMode[] = ['off', 'starttls', 'implicit'];

type FileConfig = Partial<Record<'host' | 'user' | 'password' | 'tls' | 'ca', string>> & { port?: number | string };

export function resolveSettings(flags: ParsedArgs['flags'], env: NodeJS.ProcessEnv): Settings {
  const file = readConfigFile(stringFlag(flags, 'config') ?? env.KEEP_CLIENT_CONFIG, env);
  const pick = (flag: string, envName: string, fileValue: string | number | undefined): string | undefined =>
    stringFlag(flags, flag) ?? nonEmpty(env[envName]) ?? (fileValue === undefined ? undefined : String(fileValue));
  const tls = parseTls(pick('tls', 'KEEP_TLS', file.tls));
  const portText = pick('port', 'KEEP_PORT', file.port);
  const caPath = pick('ca', 'KEEP_CA', file.ca);
  return {
    host: pick('host', 'KEEP_HOST', file.host) ?? '127.0.0.1',
    port: portText === undefined ? (tls === 'implicit' ? DEFAULT_TLS_PORT : DEFAULT_PORT) : parsePort(portText),
    user: pick('user', 'KEEP_USER', file.user),
    password: stringFlag(flags, 'password') ?? env.KEEP_PASSWORD ?? file.password,
    tls,
    ca: caPath === undefined ? undefined : readCa(caPath),
    insecure: flags.get('insecure') === true,
    timeoutMs: seconds(pick('timeout', 'KEEP_TIMEOUT', undefined), 'timeout', 15) * 1000,
    pollSeconds: seconds(pick('poll', 'KEEP_POLL', undefined), 'poll', 5),
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

function readConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv): FileConfig {
  const path = explicit ?? join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'keep', 'client.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    // the default file is optional; a file the user named must exist
    if (explicit === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ClientError('usage', `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as FileConfig;
  } catch (e) {
    throw new ClientError('usage', `config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

function parseTls(text: string | undefined): TlsMode {
  if (text === undefined) return 'off';
  const mode = TLS_MODES.find((m) => m === text.toLowerCase());
  if (!mode) throw new ClientError('usage', `--tls must be one of ${TLS_MODES.join(', ')}, not '${text}'`);
  return mode;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ClientError('usage', `port must be 1-65535, not '${text}'`);
  return n;
}

function seconds(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new ClientError('usage', `--${name} needs a positive number of seconds, not '${text}'`);
  return n;
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ClientError('usage', `cannot read CA file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
