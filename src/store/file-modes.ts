// The store holds every message and password hash: its files are for the server's user alone
// (0600, directories 0700). keepd sets umask 077; this also tightens an environment created by
// a process with a looser umask (lmdb-js creates data.mdb and lock.mdb with 0664 & ~umask).
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** chmod the LMDB directory and its files to owner-only; a file we do not own is left as it is. */
export function tightenStoreModes(mdbDir: string): void {
  const paths: [string, number][] = [[mdbDir, 0o700], [join(mdbDir, 'data.mdb'), 0o600], [join(mdbDir, 'lock.mdb'), 0o600]];
  for (const [p, mode] of paths) {
    try {
      if (!existsSync(p) || (statSync(p).mode & 0o077) === 0) continue;
      chmodSync(p, mode);
    } catch {
      // not ours (EPERM) or gone: keepd check reports what stays readable by others
    }
  }
}
