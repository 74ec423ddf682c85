// Listener names and ports, shared by the supervisor (which binds them) and the worker (which
// serves them); what the two say to each other is supervisor-ipc.ts.
import type { Config } from '../config/index.ts';

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
