// Any thrown value → a chat `error` event or an HTTP API status (protocol/websocket.md §Errors).
import { isCoreError, type ErrorKind } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';

/** The `code` of an `error` event: a core error kind, or `internal` for anything else. */
export type ChatErrorCode = ErrorKind | 'internal';

/** HTTP status of each core error kind in the JSON API. */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  'not-logged-in': 401,
  'bad-credentials': 401,
  forbidden: 403,
  'not-found': 404,
  exists: 409,
  invalid: 400,
  'too-big': 413,
  limit: 429,
  unavailable: 503,
  'over-quota': 507,
};

/** WebSocket close codes this translator uses (RFC 6455 §7.4; 4000–4999 are ours). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  /** too many refused frames (malformed, unknown, flooding) */
  policy: 1008,
  /** a frame over maxPayload (sent by `ws` itself) */
  tooBig: 1009,
  internal: 1011,
  /** the client could not keep up with what it was sent */
  slowConsumer: 1013,
  /** the login session ended: logout or expiry; log in again before reconnecting */
  sessionEnded: 4001,
} as const;

/** A refusal of the client's own making (bad frame, flood) before any core call. */
export class ChatError extends Error {
  constructor(readonly code: ChatErrorCode, message: string) {
    super(message);
    this.name = 'ChatError';
  }
}

export interface ErrorReply {
  code: ChatErrorCode;
  message: string;
}

/** Map a thrown value to what the client is told; unknown errors are logged once as bugs. */
export function toErrorReply(err: unknown, log: Logger): ErrorReply {
  if (err instanceof ChatError) return { code: err.code, message: err.message };
  if (isCoreError(err)) return { code: err.kind, message: err.message };
  log.error({ err }, 'chat request failed');
  return { code: 'internal', message: 'Internal error.' };
}

export function httpStatusOf(code: ChatErrorCode): number {
  return code === 'internal' ? 500 : HTTP_STATUS[code];
}
