// Backups and exports as core operations: aides only, audited with who, what, when and where.
import type { Actor } from '../actor.ts';
import { isAide, systemActor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import { exportLines } from './export.ts';
import { createSchedule } from './schedule.ts';
import { snapshot, type SnapshotResult } from './snapshot.ts';

export function createBackup(ctx: Ctx, deps: { audit: Audit }) {
  const requireAide = (actor: Actor, what: string) => {
    if (!isAide(actor)) throw new CoreError('forbidden', `Higher access required to ${what}.`);
  };
  const schedule = createSchedule(ctx, (r) => deps.audit.record(systemActor('backup schedule'), 'store.backup', r.path, { bytes: r.bytes, ms: r.ms }));

  return {
    /** A consistent online snapshot into dest (new or empty directory). Aides; audited. */
    async snapshot(actor: Actor, dest: string): Promise<SnapshotResult> {
      requireAide(actor, 'make a backup');
      let r: SnapshotResult;
      try {
        r = await snapshot(ctx.store, dest);
      } catch (err) {
        throw new CoreError('unavailable', `Backup failed: ${(err as Error).message}`, { cause: err });
      }
      await deps.audit.record(actor, 'store.backup', dest, { bytes: r.bytes, ms: r.ms });
      return r;
    },

    /**
     * The whole store as export lines (protocol/export.md), read from one snapshot while the
     * server keeps writing. Aides; audited before the first line is produced.
     */
    async export(actor: Actor): Promise<Generator<string>> {
      requireAide(actor, 'export the store');
      await deps.audit.record(actor, 'store.export');
      return exportLines(ctx.store);
    },

    schedule,
  };
}

export type Backup = ReturnType<typeof createBackup>;
