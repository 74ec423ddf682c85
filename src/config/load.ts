// Loads the configuration: flag > environment > config file (JSON) > default.
import { readFileSync } from 'node:fs';
import { SETTINGS, type Config, type SettingName, type SettingSpec } from './schema.ts';
import { PRESETS, presetPort } from './ports.ts';

export class ConfigError extends Error {}

export interface LoadInput {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

function parseValue(name: string, spec: SettingSpec, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  switch (spec.type) {
    case 'int': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isInteger(n)) throw new ConfigError(`invalid setting ${name}: '${String(raw)}' is not an integer`);
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
      throw new ConfigError(`invalid setting ${name}: '${String(raw)}' is not a boolean`);
    }
    case 'list':
      if (Array.isArray(raw)) return raw.map(String);
      return String(raw).split(',').map((s) => s.trim()).filter(Boolean);
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new ConfigError(`invalid setting ${name}: expected a string`);
      return String(raw);
  }
}

/** Extract `--flag value` / `--flag=value` pairs for known settings; returns the rest of argv. */
export function takeFlags(argv: string[]): { flags: Map<string, string>; rest: string[]; configFile?: string } {
  const byFlag = new Map<string, string>(Object.entries(SETTINGS).map(([k, s]) => [s.flag, k]));
  const flags = new Map<string, string>();
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--config') {
      configFile = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (!configFile) throw new ConfigError('--config needs a file name');
      continue;
    }
    const key = byFlag.get(flag);
    if (!key) { rest.push(arg); continue; }
    const spec = SETTINGS[key as SettingName] as SettingSpec;
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (spec.type === 'bool' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) value = 'true';
    else value = argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    flags.set(key, value);
  }
  return { flags, rest, configFile };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read config file ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  for (const key of Object.keys(data)) {
    if (!(key in SETTINGS)) throw new ConfigError(`config file ${path}: unknown setting '${key}'`);
  }
  return data as Record<string, unknown>;
}

/** Load the configuration; throws ConfigError with a one-line reason on any bad input. */
export function loadConfig(input: LoadInput = {}): { config: Config; rest: string[] } {
  const env = input.env ?? process.env;
  const { flags, rest, configFile: flagFile } = takeFlags(input.argv ?? []);
  const configFile = flagFile ?? env.KEEP_CONFIG;
  const file = configFile ? readConfigFile(configFile) : {};
  const out: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [name, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const raw = flags.get(name) ?? env[spec.env] ?? file[name];
    if (raw !== undefined) given.add(name);
    const value = parseValue(name, spec, raw);
    out[name] = value ?? spec.default;
  }
  // KEEP_PORTS=standard changes the default of each port; a port set alone keeps its value
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const spec = SETTINGS[name] as SettingSpec;
    if ((flags.get(name) ?? env[spec.env] ?? file[name]) !== undefined) continue;
    const port = presetPort(out.ports as string, name);
    if (port !== undefined) out[name] = port;
  }
  // the older switch still works where the newer setting is not given
  if (!given.has('registration') && out.nativeOpenRegistration !== undefined) out.registration = out.nativeOpenRegistration ? 'open' : 'closed';
  validate(out as Config);
  if (configFile) (out as Config).configFile = configFile;
  return { config: out as Config, rest };
}

function validate(c: Config): void {
  if (!PRESETS.includes(c.ports)) throw new ConfigError(`invalid setting ports: '${c.ports}' (${PRESETS.join(' or ')})`);
  const ports = (Object.keys(SETTINGS) as SettingName[]).filter((k) => k.endsWith('Port'));
  for (const p of ports) {
    const v = c[p] as number;
    if (v < -1 || v > 65535) throw new ConfigError(`invalid setting ${p}: ${v} is not a port (0 = any free port, -1 = off)`);
  }
  const positive: SettingName[] = ['maxLineLength', 'maxMessageSize', 'maxConnectionsPerAddress', 'idleTimeout', 'authFailureLimit', 'authFailureWindow', 'heartbeatInterval', 'heartbeatTimeout', 'sessionMaxBuffered', 'sessionStallTimeout', 'httpHeadersTimeout'];
  for (const p of positive) {
    if ((c[p] as number) <= 0) throw new ConfigError(`invalid setting ${p}: must be positive`);
  }
  if (!['open', 'validate', 'closed'].includes(c.registration)) throw new ConfigError(`invalid setting registration: '${c.registration}' (open, validate or closed)`);
  if (c.internetMailLevel < 1 || c.internetMailLevel > 6) throw new ConfigError('invalid setting internetMailLevel: an access level 1-6');
  for (const p of ['registrationPerHour', 'sendPerHour'] as const) {
    if (c[p] < 0) throw new ConfigError(`invalid setting ${p}: must not be negative`);
  }
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(c.logLevel)) {
    throw new ConfigError(`invalid setting logLevel: '${c.logLevel}'`);
  }
  if (!['enforce', 'tag', 'off'].includes(c.inboundAuth)) throw new ConfigError(`invalid setting inboundAuth: '${c.inboundAuth}' (enforce, tag or off)`);
  if (!['testing', 'enforce', 'none'].includes(c.mtaStsMode)) throw new ConfigError(`invalid setting mtaStsMode: '${c.mtaStsMode}' (testing, enforce or none)`);
  if (c.dkimSelector !== undefined && !/^[a-z0-9][a-z0-9-]{0,40}$/i.test(c.dkimSelector)) throw new ConfigError(`invalid setting dkimSelector: '${c.dkimSelector}' (letters, digits and -)`);
  for (const s of c.dnsServers) {
    if (!/^(?:[0-9.]+|\[[0-9a-f:]+\])(?::\d{1,5})?$|^[0-9a-f:]+$/i.test(s)) throw new ConfigError(`invalid setting dnsServers: '${s}' is not an IP address with an optional :port`);
  }
  if (c.acme && c.httpPort < 0) throw new ConfigError('invalid setting acme: ACME proves control over HTTP-01 on the HTTP listener; KEEP_HTTP_PORT must not be -1');
  if (c.heartbeatTimeout <= c.heartbeatInterval) throw new ConfigError('invalid setting heartbeatTimeout: must exceed heartbeatInterval');
}

/** Help text listing every setting with its flag, variable and default. */
export function settingsHelp(): string {
  return Object.entries(SETTINGS)
    .map(([name, s]) => `  ${s.flag.padEnd(32)} ${s.env.padEnd(34)} ${s.help}${s.default === undefined ? '' : ` (default ${JSON.stringify(s.default)})`} [${name}]`)
    .join('\n');
}
