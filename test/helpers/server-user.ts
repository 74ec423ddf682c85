// Started as root (as on the CI machine), keepd runs as KEEP_RUN_AS (default keep) once its ports
// are bound, so whatever a test hands the server outside its data directory (a backup directory,
// certificate files, a CA file) must be that user's to reach and read.
import { ensureUser, isRoot, chownTree } from '../../src/supervisor/privileges.ts';

export const SERVER_USER = 'keep';

/** Give each directory tree to the server's user when tests run as root; else nothing to do. */
export function handToServer(...paths: string[]): void {
  if (!isRoot()) return;
  const user = ensureUser(SERVER_USER, '/nonexistent');
  for (const path of paths) chownTree(path, user);
}
