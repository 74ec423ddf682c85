export { Store, StoreError, SCHEMA_VERSION, isCommitFailureEcho, type Dbs } from './store.ts';
export * as ranges from './ranges.ts';
export type * from './records.ts';
