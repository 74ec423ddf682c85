// The names of the snapshots Keep writes into KEEP_BACKUP_DIR (keep-<ISO time with - for : and
// .>, and .partial-<pid> while one is written). The directory may be shared with other things, so
// pruning, `keepd check` and the hand-over to KEEP_RUN_AS touch only entries with these names.
const SNAPSHOT_NAME = /^keep-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(\.partial-\d+)?$/;

/** Is this entry of KEEP_BACKUP_DIR one Keep wrote? */
export function isSnapshotName(name: string): boolean {
  return SNAPSHOT_NAME.test(name);
}
