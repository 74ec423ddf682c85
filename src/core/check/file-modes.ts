// keepd check's look at the files: the data directory (store, TLS key, site texts) and the
// snapshots hold every message and password hash, so nothing of them may be readable or
// writable by group or others. --repair makes them owner-only. The snapshot directory may be
// shared with other things (/var/backups): there only Keep's own entries are looked at.
import { closeSync, constants, existsSync, fchmodSync, fstatSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface LooseFile {
  path: string;
  /** permission bits as found, e.g. 0o644 */
  mode: number;
  isDirectory: boolean;
  /** which file the walk saw (device and inode): repair changes that one or nothing */
  dev?: number;
  ino?: number;
}

const MAX_DEPTH = 4;

/** A directory shared with others: only its entries `only` accepts are walked, not it itself. */
export interface SharedRoot {
  path: string;
  only: (name: string) => boolean;
}

/** Files and directories under the given roots with any group or other permission bit set. */
export function findLooseModes(roots: (string | SharedRoot)[]): LooseFile[] {
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
    if ((mode & 0o077) !== 0) out.push({ path, mode, isDirectory: st.isDirectory(), dev: st.dev, ino: st.ino });
    if (!st.isDirectory() || depth >= MAX_DEPTH) return;
    for (const name of readdirSync(path)) walk(join(path, name), depth + 1);
  };
  const whole = new Set(roots.filter((r): r is string => typeof r === 'string'));
  for (const root of whole) if (existsSync(root)) walk(root, 0);
  for (const r of roots) {
    if (typeof r === 'string' || whole.has(r.path) || !existsSync(r.path)) continue;
    let names: string[];
    try {
      names = readdirSync(r.path);
    } catch {
      continue; // not a directory, or not ours to read
    }
    for (const name of names) if (r.only(name)) walk(join(r.path, name), 1);
  }
  return out;
}

/**
 * Make each loose file owner-only (0600, directories 0700); returns those it could not change.
 * Opened without following links, checked to be the file the walk saw, and changed through the
 * descriptor: run as root over a directory another user writes to, a file (or a directory on
 * its path) swapped for a link since the walk must not pass the chmod on to what it points at.
 */
export function tightenModes(loose: LooseFile[]): LooseFile[] {
  const failed: LooseFile[] = [];
  for (const f of loose) {
    let fd: number | undefined;
    try {
      fd = openSync(f.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (f.isDirectory ? constants.O_DIRECTORY : 0));
      // O_NOFOLLOW guards only the last name: a directory on the way swapped for a link leads to
      // another file of the same name, which the walk never saw
      const st = fstatSync(fd);
      if (f.ino !== undefined && (st.ino !== f.ino || st.dev !== f.dev)) throw new Error('not the file the walk saw');
      fchmodSync(fd, f.isDirectory ? 0o700 : 0o600);
    } catch {
      failed.push(f);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return failed;
}
