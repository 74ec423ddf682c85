// Scheduled snapshots: every interval a snapshot into DIR/keep-<time>, keeping the newest N.
// Each run is logged with size and duration; a failure is logged at error level and kept as
// the status /healthz reports (degraded) until a later run succeeds.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../context.ts';
import { snapshot, type SnapshotResult } from './snapshot.ts';
import { isSnapshotName } from '../../config/snapshot-names.ts';

export interface ScheduleOptions {
  /** seconds between snapshots; 0 turns the schedule off */
  intervalSeconds: number;
  dir: string;
  keep: number;
}

export interface BackupStatus {
  isScheduled: boolean;
  last?: SnapshotResult & { at: number };
  lastError?: { at: number; message: string };
}

const PREFIX = 'keep-';
/** A name the schedule gives a snapshot (`keep-<ISO time>`), or its `.partial-<pid>` while written. */
export { isSnapshotName };

export function createSchedule(ctx: Ctx, onSnapshot: (r: SnapshotResult) => Promise<void>) {
  const status: BackupStatus = { isScheduled: false };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async (opts: ScheduleOptions) => {
    const at = Date.now();
    const dest = join(opts.dir, `${PREFIX}${new Date(at).toISOString().replace(/[:.]/g, '-')}`);
    try {
      mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      const r = await snapshot(ctx.store, dest);
      status.last = { ...r, at };
      delete status.lastError;
      await onSnapshot(r);
      ctx.log.info({ path: r.path, bytes: r.bytes, ms: r.ms }, 'scheduled snapshot written');
      prune(opts);
    } catch (err) {
      status.lastError = { at, message: (err as Error).message };
      ctx.log.error({ err, dir: opts.dir }, 'scheduled snapshot failed');
    }
  };

  const prune = (opts: ScheduleOptions) => {
    // by the full name: a shared directory may hold other things called keep-…
    const old = readdirSync(opts.dir).filter((n) => isSnapshotName(n) && !n.includes('.partial-')).sort().slice(0, -opts.keep);
    for (const n of old) {
      rmSync(join(opts.dir, n), { recursive: true, force: true });
      ctx.log.info({ path: join(opts.dir, n) }, 'old snapshot pruned');
    }
  };

  return {
    status: (): BackupStatus => ({ ...status }),
    /** Start the timer (no-op when the interval is 0). */
    start(opts: ScheduleOptions): void {
      if (opts.intervalSeconds <= 0) return;
      status.isScheduled = true;
      timer = setInterval(() => {
        if (running) return; // a slow snapshot is never overlapped by the next
        running = runOnce(opts).finally(() => { running = undefined; });
      }, opts.intervalSeconds * 1000);
      timer.unref();
    },
    /** Stop the timer and wait for a snapshot in progress. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
    },
    runOnce,
  };
}
