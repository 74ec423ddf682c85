// keepd install-service: the service user, the data directory, the settings file and the unit.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SETTINGS } from '../../config/index.ts';
import { lookupUser } from '../../supervisor/privileges.ts';

/** Create the system user when missing (a home in the data directory, no login shell). */
export function ensureUser(name: string, home: string): { uid: number; gid: number; isNew: boolean } {
  const found = lookupUser(name);
  if (found) return { ...found, isNew: false };
  execFileSync('useradd', ['--system', '--user-group', '--home-dir', home, '--no-create-home', '--shell', '/usr/sbin/nologin', '--comment', 'Keep groupware server', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  const made = lookupUser(name);
  if (!made) throw new Error(`useradd ${name} reported success, but the user cannot be found`);
  return { ...made, isNew: true };
}

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
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return `# Keep settings (keepd --help lists them all); read by the keep service at start\n${lines.join('\n')}\n`;
}

/** Write a root-owned file with the given mode, making its directory. */
export function writeRootFile(path: string, text: string, mode: number): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
}
