// Any thrown value → one native error reply (STYLE.md §4; protocol/README.md §Errors).
import { isCoreError, type ErrorKind } from '../../core/index.ts';
import { ERR, errorCode, type ErrSub } from './codes.ts';

/** Default subcode per core error kind; a command may override it (GOTO: not-found → 72). */
export const KIND_TO_SUB: Record<ErrorKind, ErrSub> = {
  'not-logged-in': ERR.NOT_LOGGED_IN,
  'bad-credentials': ERR.PASSWORD_REQUIRED,
  forbidden: ERR.HIGHER_ACCESS_REQUIRED,
  'not-found': ERR.NO_SUCH_USER,
  exists: ERR.ALREADY_EXISTS,
  invalid: ERR.ILLEGAL_VALUE,
  'too-big': ERR.TOO_BIG,
  limit: ERR.TOO_BIG,
  unavailable: ERR.INTERNAL_ERROR,
  'over-quota': ERR.TOO_BIG,
};

/** A protocol-level refusal raised by a handler (bad parameters, wrong state). */
export class NativeError extends Error {
  constructor(readonly sub: ErrSub, message: string) {
    super(message);
    this.name = 'NativeError';
  }
}

export type ErrorOverrides = Partial<Record<ErrorKind, ErrSub>>;

export interface MappedError {
  code: number;
  text: string;
  /** an unknown error: a bug to log with its stack */
  isBug: boolean;
}

export function mapError(err: unknown, overrides: ErrorOverrides = {}): MappedError {
  if (err instanceof NativeError) return { code: errorCode(err.sub), text: err.message, isBug: false };
  if (isCoreError(err)) {
    const sub = overrides[err.kind] ?? KIND_TO_SUB[err.kind];
    return { code: errorCode(sub), text: err.message, isBug: false };
  }
  return { code: errorCode(ERR.INTERNAL_ERROR), text: 'Internal error.', isBug: true };
}
