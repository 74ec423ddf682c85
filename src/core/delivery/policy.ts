// The outbound retry policy (RFC 5321 §4.5.4.1): after a temporary failure try again with a
// doubling delay from the configured minimum up to 4 hours, telling the sender once when it has
// been late a while (delay-notice.ts); after a permanent failure, or when a message is still
// undelivered at the end of its lifetime, bounce. The SMTP translator only sends
// and reports what the remote server said; this decides what happens next.

import { isDelayNoticeDue } from './delay-notice.ts';

export const MAX_BACKOFF_MS = 4 * 3600 * 1000;
/** defaults of KEEP_QUEUE_RETRY_MIN (s) and KEEP_QUEUE_LIFETIME (s) */
export const DEFAULT_RETRY_MIN_S = 300;
export const DEFAULT_LIFETIME_S = 5 * 24 * 3600;
/** default of KEEP_QUEUE_DELAY_NOTICE (s) */
export const DEFAULT_DELAY_NOTICE_S = 4 * 3600;

/** What one attempt to send came to, as the sender saw it. */
export type SendOutcome =
  | { kind: 'sent'; mta?: string }
  | { kind: 'temporary'; error: string; mta?: string }
  | { kind: 'permanent'; error: string; mta?: string };

/** What to do with a queue entry after an attempt. */
export type Decision =
  | { kind: 'delivered' }
  /** notifyDelay: the sender gets one delay notice now (RFC 3464 Action: delayed) */
  | { kind: 'defer'; retryAt: number; notifyDelay?: true }
  | { kind: 'bounce'; isExpiry: boolean };

export interface RetrySettings {
  /** first retry delay (s) */
  retryMinS: number;
  /** seconds before an undelivered message is bounced */
  lifetimeS: number;
  /** seconds undelivered before the one delay notice; 0 or absent: none */
  delayNoticeS?: number;
}

/** Retry delay after the n-th failed attempt: the minimum, doubling, at most 4 hours. */
export function backoffMs(attempts: number, retryMinSeconds: number): number {
  return Math.min(retryMinSeconds * 1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** The decision for an entry first tried at `firstAttempt`, tried `attempts` times, at `now`. */
export function decide(e: { attempts: number; firstAttempt: number; delayNotified?: boolean }, out: SendOutcome, s: RetrySettings, now: number): Decision {
  if (out.kind === 'sent') return { kind: 'delivered' };
  if (out.kind === 'permanent') return { kind: 'bounce', isExpiry: false };
  if (now - e.firstAttempt >= s.lifetimeS * 1000) return { kind: 'bounce', isExpiry: true };
  const retryAt = now + backoffMs(e.attempts, s.retryMinS);
  return isDelayNoticeDue(e, now, s.delayNoticeS ?? 0) ? { kind: 'defer', retryAt, notifyDelay: true } : { kind: 'defer', retryAt };
}
