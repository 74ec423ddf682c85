// The supervisor↔worker IPC protocol (DESIGN.md "Processes"): what each side sends over the
// child-process channel. The worker says it loaded, is ready and alive; the supervisor hands it
// each accepted connection and asks it to shut down.
import type { ListenerName } from './listeners.ts';

/** Messages between supervisor and worker over the IPC channel. */
export type ToWorker =
  | { type: 'init'; restarts: number; supervisorStarted: number; ports: Record<string, number> }
  | { type: 'conn'; listener: ListenerName; id: number }
  | { type: 'shutdown' };

export type ToSupervisor =
  | { type: 'loaded' }
  | { type: 'ready' }
  | { type: 'heartbeat'; at: number }
  | { type: 'taken'; id: number }
  | { type: 'fatal'; message: string };
