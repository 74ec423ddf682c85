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
  /** access level given to accounts that users create themselves */
  newUserLevel: number;
  /** soft-delete window for rooms and messages (ms) */
  softDeleteMs: number;
  /** outbound queue: first retry delay (s) and lifetime before a bounce (s); see delivery/policy.ts */
  queueRetryMinS?: number;
  queueLifetimeS?: number;
}

export interface Ctx {
  store: Store;
  events: Events;
  settings: CoreSettings;
  log: Logger;
}
