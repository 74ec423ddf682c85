// The supervisor↔worker IPC protocol (DESIGN.md "Processes"): what each side sends over the
// child-process channel and the worker's stall pipe. The worker says it loaded, is ready and
// alive (and what it was doing); the supervisor hands it each accepted connection and asks it to
// shut down.
import type { ListenerName } from './listeners.ts';
import type { WorkRecord } from './current-work.ts';

/** The worker's stall reports arrive on this extra pipe (fd 4), written by its watcher thread. */
export const WORK_FD = 4;

/** A line on the work pipe: the main thread has not turned for stalledMs while doing `work`. */
export interface StallReport {
  stalledMs: number;
  work: WorkRecord | null;
}

/** Messages between supervisor and worker over the IPC channel. */
export type ToWorker =
  | { type: 'init'; restarts: number; supervisorStarted: number; ports: Record<string, number> }
  | { type: 'conn'; listener: ListenerName; id: number }
  | { type: 'shutdown' };

export type ToSupervisor =
  | { type: 'loaded' }
  | { type: 'ready' }
  /** work: the session turn running when the heartbeat was sent (current-work.ts) */
  | { type: 'heartbeat'; at: number; work?: WorkRecord | undefined }
  | { type: 'taken'; id: number }
  | { type: 'fatal'; message: string };
