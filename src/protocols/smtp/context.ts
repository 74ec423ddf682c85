// What every smtp-server hook of one listener shares: deps, which listener it serves (MX or
// submission), the recipients resolved at RCPT time, in-flight deliveries and the outbound kick.
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import type { Actor, Core, Recipient } from '../../core/index.ts';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';
import type { Metrics } from '../../net/metrics.ts';
import type { InboundAuth } from '../../core/mail-auth/inbound.ts';

export type Mode = 'mx' | 'submission';

export interface SmtpCtx {
  core: Core;
  config: Config;
  log: Logger;
  metrics: Metrics;
  mode: Mode;
  /** RCPT TO address object → what core resolved it to (dropped with the transaction) */
  targets: WeakMap<SMTPServerAddress, Recipient>;
  /** deliveries being committed, so close() can let them finish */
  inFlight: Set<Promise<unknown>>;
  /** SPF/DKIM/DMARC/ARC checks of MX mail (KEEP_INBOUND_AUTH) */
  inboundAuth: InboundAuth;
  /** wake the outbound queue runner (a remote recipient was just queued) */
  kickOutbound(): void;
}

/** What onAuth stores in session.user. */
export interface SessionUser {
  usernum: number;
  name: string;
  level: 0 | 1 | 2 | 3 | 4 | 5 | 6;
}

export function actorOf(session: SMTPServerSession): Actor | undefined {
  const u = session.user as SessionUser | undefined;
  if (!u) return undefined;
  return { kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin: `smtp:${session.remoteAddress}` };
}
