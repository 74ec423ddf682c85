// keepd check's look at the files: the data directory (store, TLS key, site texts) and the
// snapshot directory hold every message and password hash, so nothing under them may be
// readable or writable by group or others. --repair makes them owner-only.
import { closeSync, constants, existsSync, fchmodSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface LooseFile {
  path: string;
  /** permission bits as found, e.g. 0o644 */
  mode: number;
  isDirectory: boolean;
}

const MAX_DEPTH = 4;

/** Files and directories under the given roots with any group or other permission bit set. */
export function findLooseModes(roots: string[]): LooseFile[] {
  const out: LooseFile[] = [];
  const walk = (path: string, depth: number) => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return; // vanished while we looked (a snapshot being renamed into place)
    }
    if (st.isSymbolicLink()) return;
    const mode = st.mode & 0o777;
    if ((mode & 0o077) !== 0) out.push({ path, mode, isDirectory: st.isDirectory() });
    if (!st.isDirectory() || depth >= MAX_DEPTH) return;
    for (const name of readdirSync(path)) walk(join(path, name), depth + 1);
  };
  for (const root of new Set(roots)) if (existsSync(root)) walk(root, 0);
  return out;
}

/**
 * Make each loose file owner-only (0600, directories 0700); returns those it could not change.
 * Opened without following links and changed through the descriptor: run as root over a
 * directory another user writes to, a file swapped for a link since the walk must not pass the
 * chmod on to what it points at.
 */
export function tightenModes(loose: LooseFile[]): LooseFile[] {
  const failed: LooseFile[] = [];
  for (const f of loose) {
    let fd: number | undefined;
    try {
      fd = openSync(f.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (f.isDirectory ? constants.O_DIRECTORY : 0));
      fchmodSync(fd, f.isDirectory ? 0o700 : 0o600);
    } catch {
      failed.push(f);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return failed;
}
