// What every core module receives: the store, the event bus, settings and a logger.
import type { Store } from '../store/index.ts';
import type { Logger } from '../log/index.ts';
import type { Events } from './events.ts';

export interface CoreSettings {
  domain: string;
  localDomains: string[];
  nodeName: string;
  humanNode: string;
  maxMessageSize: number;
  /** access level of accounts that users create themselves with KEEP_REGISTRATION=open (3) */
  newUserLevel: number;
  /** soft-delete window for rooms and messages (ms) */
  softDeleteMs: number;
  /** self-registration: open (newUserLevel at once), validate (level 1 until an aide validates), closed; default validate */
  registration?: RegistrationMode;
  /** self-registrations per address and hour (0 no limit); default 3 */
  registrationPerHour?: number;
  /** each user's mailboxes together, in bytes (0 or absent: no quota) */
  quotaBytes?: number;
  /** access level needed to send to Internet addresses; default 4 (network user) */
  internetMailLevel?: number;
  /** Internet recipients per account and hour (0 no limit); default 200 */
  sendPerHour?: number;
  /** outbound queue: first retry delay (s) and lifetime before a bounce (s); see delivery/policy.ts */
  queueRetryMinS?: number;
  queueLifetimeS?: number;
  /** outbound queue: seconds undelivered before the sender's one delay notice (0 none) */
  queueDelayNoticeS?: number;
  /** password hashes run at once (0 or absent: one fewer than the cores, at least one) */
  passwordHashThreads?: number;
}

export type RegistrationMode = 'open' | 'validate' | 'closed';

export interface Ctx {
  store: Store;
  events: Events;
  settings: CoreSettings;
  log: Logger;
}
