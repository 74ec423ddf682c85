// Listener names, shared by the supervisor (which binds them) and the worker (which serves them).
import type { Config } from '../config/index.ts';
import type { WorkRecord } from './current-work.ts';

export type ListenerName = 'native' | 'native-tls' | 'smtp' | 'submission' | 'submissions' | 'imap' | 'imap-tls' | 'nntp' | 'nntps' | 'http' | 'https';

export interface ListenerSpec {
  name: ListenerName;
  /** the protocol label printed at start */
  proto: string;
  port: number;
}

/** The listeners a configuration asks for; a port of -1 turns one off. */
export function listenerSpecs(c: Config): ListenerSpec[] {
  const all: ListenerSpec[] = [
    { name: 'native', proto: 'native (Citadel)', port: c.nativePort },
    { name: 'native-tls', proto: 'native (Citadel) over TLS', port: c.nativeTlsPort },
    { name: 'smtp', proto: 'SMTP (MX)', port: c.smtpPort },
    { name: 'submission', proto: 'SMTP submission', port: c.submissionPort },
    { name: 'submissions', proto: 'SMTP submission over TLS', port: c.submissionsPort },
    { name: 'imap', proto: 'IMAP', port: c.imapPort },
    { name: 'imap-tls', proto: 'IMAP over TLS', port: c.imapTlsPort },
    { name: 'nntp', proto: 'NNTP', port: c.nntpPort },
    { name: 'nntps', proto: 'NNTP over TLS', port: c.nntpsPort },
    { name: 'http', proto: 'HTTP (web, WebSocket, /healthz, /metrics)', port: c.httpPort },
    { name: 'https', proto: 'HTTPS (web, WebSocket, /healthz, /metrics)', port: c.httpsPort },
  ];
  return all.filter((l) => l.port >= 0);
}

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
