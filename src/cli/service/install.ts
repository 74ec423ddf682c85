// keepd install-service: the service user, the data directory, the settings file and the unit.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SETTINGS } from '../../config/index.ts';

/** A directory owned by the service user, 0700. */
export function ensurePrivateDir(path: string, owner: { uid: number; gid: number }): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chownSync(path, owner.uid, owner.gid);
  chmodSync(path, 0o700);
}

/** KEEP_* settings of this environment (not those the unit sets itself), as an EnvironmentFile. */
export function environmentFile(env: NodeJS.ProcessEnv, fixed: string[]): string {
  const known = new Set<string>(Object.values(SETTINGS).map((s) => s.env));
  const lines = Object.entries(env)
    .filter(([k, v]) => known.has(k) && !fixed.includes(k) && v !== undefined)
    .map(([k, v]) => `${k}=${envValue(k, v!)}`)
    .sort();
  return `# Keep settings (keepd --help lists them all); read by the keep service at start\n${lines.join('\n')}\n`;
}

/**
 * A value as systemd's EnvironmentFile reads it: plain when it is one safe word, else in double
 * quotes with backslash escapes, so spaces, quotes, # and backslashes arrive as written. A line
 * break cannot be carried and is refused.
 */
export function envValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${name} holds a line break, which an environment file cannot carry`);
  if (/^[A-Za-z0-9_.,:@%+\/=-]*$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Write a root-owned file with the given mode, making its directory. */
export function writeRootFile(path: string, text: string, mode: number): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
}
