// Any thrown value → one IMAP tagged reply (STYLE.md §4 table; RFC 5530 response codes).
import { isCoreError, type ErrorKind } from '../../core/index.ts';
import { ParseError } from './parser.ts';

export type Status = 'OK' | 'NO' | 'BAD';

/** A tagged completion: status, optional response code (without brackets) and text. */
export interface Reply {
  status: Status;
  code?: string;
  text: string;
}

/** A refusal raised by a handler: wrong arguments (BAD) or a refused operation (NO). */
export class ImapError extends Error {
  constructor(readonly status: 'NO' | 'BAD', message: string, readonly code?: string) {
    super(message);
    this.name = 'ImapError';
  }
}

const KIND: Record<ErrorKind, { status: 'NO' | 'BAD'; code?: string }> = {
  'not-logged-in': { status: 'BAD' },
  'bad-credentials': { status: 'NO', code: 'AUTHENTICATIONFAILED' },
  forbidden: { status: 'NO', code: 'NOPERM' },
  'not-found': { status: 'NO', code: 'NONEXISTENT' },
  exists: { status: 'NO', code: 'ALREADYEXISTS' },
  invalid: { status: 'BAD' },
  'too-big': { status: 'NO', code: 'TOOBIG' },
  limit: { status: 'NO', code: 'LIMIT' },
  unavailable: { status: 'NO', code: 'UNAVAILABLE' },
  'over-quota': { status: 'NO', code: 'OVERQUOTA' },
};

export interface MappedError extends Reply {
  /** an unknown error: a bug to log once with its stack */
  isBug: boolean;
}

export function mapError(err: unknown): MappedError {
  if (err instanceof ParseError) return { status: 'BAD', text: err.message, isBug: false };
  if (err instanceof ImapError) return { status: err.status, ...(err.code ? { code: err.code } : {}), text: err.message, isBug: false };
  if (isCoreError(err)) {
    const k = KIND[err.kind];
    return { status: k.status, ...(k.code ? { code: k.code } : {}), text: err.message, isBug: false };
  }
  return { status: 'NO', code: 'SERVERBUG', text: 'Internal error; it has been logged.', isBug: true };
}

export const ok = (text: string, code?: string): Reply => ({ status: 'OK', text, ...(code ? { code } : {}) });
