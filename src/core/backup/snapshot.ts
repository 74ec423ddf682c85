// Online snapshots: a compacted, consistent copy of the LMDB environment taken while the
// server keeps serving. Restoring is starting keepd on the copy.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/index.ts';

export interface SnapshotResult {
  path: string;
  bytes: number;
  ms: number;
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
  mkdirSync(join(partial, 'keep.mdb'), { recursive: true });
  try {
    await store.env.backup(join(partial, 'keep.mdb'), true);
    if (existsSync(dest)) rmSync(dest, { recursive: true });
    renameSync(partial, dest);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
  return { path: dest, bytes: statSync(join(dest, 'keep.mdb', 'data.mdb')).size, ms: Date.now() - started };
}
