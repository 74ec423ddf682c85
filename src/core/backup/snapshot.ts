// Online snapshots: a compacted, consistent copy of the LMDB environment taken while the
// server keeps serving. Restoring is starting keepd on the copy.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../store/index.ts';

export interface SnapshotResult {
  path: string;
  bytes: number;
  ms: number;
}

/**
 * Web logins are not part of a snapshot: restoring one must not bring back a session that was
 * logged out (or whose password changed) after the snapshot was taken.
 */
async function withoutWebSessions(dir: string): Promise<void> {
  const copy = Store.open({ dataDir: dir, create: false });
  try {
    copy.dbs.webSessions.clearSync();
  } finally {
    await copy.close();
  }
}

/**
 * Copy the store into DEST (a new or empty directory), as DEST/keep.mdb/data.mdb. The copy is
 * written beside DEST first and renamed into place, so DEST never holds half a snapshot.
 */
export async function snapshot(store: Store, dest: string): Promise<SnapshotResult> {
  if (existsSync(dest) && readdirSync(dest).length > 0) throw new Error(`${dest} is not empty`);
  const started = Date.now();
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'keep.mdb'), { recursive: true, mode: 0o700 });
  try {
    await store.env.backup(join(partial, 'keep.mdb'), true);
    await withoutWebSessions(partial);
    if (existsSync(dest)) rmSync(dest, { recursive: true });
    renameSync(partial, dest);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  return { path: dest, bytes: statSync(join(dest, 'keep.mdb', 'data.mdb')).size, ms: Date.now() - started };
}
