export { Store, StoreError, SCHEMA_VERSION, isCommitFailureEcho, type Dbs } from './store.ts';
export * as ranges from './ranges.ts';
export { recountRoomInTxn, recountRoomsInTxn, roomCountErrors } from './room-counts.ts';
export { runMigrations } from './migrations.ts';
export type * from './records.ts';
export { withHashedPassword } from './room-passwords.ts';
