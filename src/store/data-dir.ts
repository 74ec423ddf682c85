// The data directory's first check, before anything opens or hands it over: it exists (or is
// made, 0700), is readable and writable, and is empty or holds a Keep store, so a mistyped
// KEEP_DATA_DIR (/etc) is refused, never filled or given to KEEP_RUN_AS. Free of lmdb, so the
// supervisor can run it before it drops privileges.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';

export class StoreError extends Error {
  constructor(readonly code: 'unreadable' | 'foreign' | 'too-new' | 'full' | 'io', message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export function checkDataDirectory(dir: string, create: boolean): void {
  if (!existsSync(dir)) {
    if (!create) throw new StoreError('unreadable', `data directory ${dir} does not exist`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new StoreError('unreadable', `cannot create data directory ${dir}: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
    }
    return;
  }
  let st;
  try {
    st = statSync(dir);
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new StoreError('unreadable', `data directory ${dir} is not readable and writable: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
  }
  if (!st.isDirectory()) throw new StoreError('unreadable', `data directory ${dir} is not a directory`);
  const entries = readdirSync(dir);
  const ours = entries.filter((e) => e === 'keep.mdb' || e.startsWith('keep.') || e === 'tls' || e === 'dkim' || e.startsWith('.'));
  if (!entries.includes('keep.mdb') && entries.length > ours.length) {
    throw new StoreError('foreign', `data directory ${dir} is not empty and holds no Keep store (found ${entries.slice(0, 3).join(', ')})`);
  }
}
