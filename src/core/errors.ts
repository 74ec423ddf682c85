// The one error class core throws; its message is written for the person at the other end.
export type ErrorKind =
  | 'not-logged-in' | 'bad-credentials' | 'forbidden' | 'not-found'
  | 'exists' | 'invalid' | 'too-big' | 'limit' | 'unavailable'
  /** a user's mailboxes are full (KEEP_QUOTA_MB) */
  | 'over-quota';

export class CoreError extends Error {
  constructor(readonly kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CoreError';
  }
}

export const isCoreError = (err: unknown): err is CoreError => err instanceof CoreError;
