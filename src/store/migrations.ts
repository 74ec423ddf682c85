// Schema versions and the migrations that run at start, in order, each in one transaction.
import type { Store } from './store.ts';
import { recountRoomsInTxn } from './room-counts.ts';
import { hashRoomPasswordsInTxn } from './room-passwords.ts';

export const SCHEMA_VERSION = 4;

/** Migration from version n to n+1, keyed by n. */
const MIGRATIONS: Record<number, (store: Store) => void> = {
  // 2: rooms keep their message count
  1: (store) => { recountRoomsInTxn(store.dbs); },
  // 3: records are written with the fixed shapes of store/shapes.ts, which an older Keep cannot
  // read; records written before keep their keys inline and read as before, so nothing to rewrite
  2: () => {},
  // 4: room passwords are stored as scrypt hashes (passwordHash), never in clear
  3: (store) => { hashRoomPasswordsInTxn(store.dbs); },
};

export function runMigrations(store: Store): void {
  let version = store.dbs.meta.get('schemaVersion') as number;
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    store.env.transactionSync(() => {
      step(store);
      store.dbs.meta.putSync('schemaVersion', version + 1);
    });
    version += 1;
  }
}
