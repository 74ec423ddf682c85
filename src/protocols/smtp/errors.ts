// Any thrown value → the SMTP reply handed back to smtp-server (which adds the enhanced status
// code, RFC 3463). Core's error kinds map through one table (STYLE.md §4).
import { isCoreError, type ErrorKind } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';

export const REPLY = {
  notLoggedIn: 530,
  encryptionRequired: 538,
  badCredentials: 535,
  authUnavailable: 454,
  refused: 550,
  syntax: 501,
  tooBig: 552,
  transactionFailed: 554,
  localError: 451,
  closing: 421,
} as const;

/**
 * Replies whose enhanced status code (RFC 3463) is not the one smtp-server derives from the code:
 * it adds one only for a numeric code, so a code given as "550 5.7.1" goes out as written.
 */
export const POLICY_REFUSED = '550 5.7.1';
/** Mailbox full (RFC 3463 X.2.2): at RCPT a temporary 452 (RFC 5321 §4.5.3.1.10: the sender retries), after DATA a 552 */
export const MAILBOX_FULL_NOW = '452 4.2.2';
export const MAILBOX_FULL = '552 5.2.2';

type OwnCode = typeof POLICY_REFUSED | typeof MAILBOX_FULL_NOW | typeof MAILBOX_FULL;

const BY_KIND: Record<ErrorKind, number | OwnCode> = {
  'not-logged-in': REPLY.notLoggedIn,
  'bad-credentials': REPLY.badCredentials,
  forbidden: REPLY.refused,
  'not-found': REPLY.refused,
  exists: REPLY.refused,
  invalid: REPLY.syntax,
  'too-big': REPLY.tooBig,
  limit: REPLY.tooBig,
  unavailable: REPLY.localError,
  'over-quota': MAILBOX_FULL,
};

/** An error carrying the reply code smtp-server sends. */
export class SmtpReply extends Error {
  constructor(readonly responseCode: number | OwnCode, message: string) {
    super(message);
    this.name = 'SmtpReply';
  }
}

/**
 * Our own reply errors pass through, core errors map by kind (with per-hook overrides, e.g.
 * a throttled AUTH is 454, not 552), anything else is a bug: logged once, answered 451.
 */
export function toSmtpError(err: unknown, log: Logger, overrides: Partial<Record<ErrorKind, SmtpReply['responseCode']>> = {}): SmtpReply {
  if (err instanceof SmtpReply) return err;
  if (isCoreError(err)) return new SmtpReply(overrides[err.kind] ?? BY_KIND[err.kind], err.message);
  log.error({ err }, 'smtp: internal error');
  return new SmtpReply(REPLY.localError, 'Local error in processing; try again later.');
}
