// Any thrown value → one NNTP reply (STYLE.md §4: CoreError kinds → NNTP codes).
import { isCoreError, type ErrorKind } from '../../core/index.ts';
import { CODE, type Code } from './codes.ts';

/** How each core error kind answers by default; a command may override (POST: forbidden → 441). */
export const KIND_TO_CODE: Record<ErrorKind, Code> = {
  'not-logged-in': CODE.AUTH_REQUIRED,
  'bad-credentials': CODE.AUTH_FAILED,
  forbidden: CODE.NOT_PERMITTED,
  'not-found': CODE.NO_ARTICLE_WITH_NUMBER,
  exists: CODE.POSTING_FAILED,
  invalid: CODE.SYNTAX_ERROR,
  'too-big': CODE.POSTING_FAILED,
  limit: CODE.POSTING_FAILED,
  unavailable: CODE.INTERNAL_FAULT,
  'over-quota': CODE.POSTING_FAILED,
};

/** A protocol-level refusal raised by a handler or the parser: a code and a human text. */
export class NntpError extends Error {
  constructor(readonly code: Code, message: string) {
    super(message);
    this.name = 'NntpError';
  }
}

export type ErrorOverrides = Partial<Record<ErrorKind, Code>>;

export interface MappedError {
  code: Code;
  text: string;
  /** an unknown error: a bug to log once with its stack */
  isBug: boolean;
}

export function mapError(err: unknown, overrides: ErrorOverrides = {}): MappedError {
  if (err instanceof NntpError) return { code: err.code, text: err.message, isBug: false };
  if (isCoreError(err)) return { code: overrides[err.kind] ?? KIND_TO_CODE[err.kind], text: oneLine(err.message), isBug: false };
  return { code: CODE.INTERNAL_FAULT, text: 'Internal fault', isBug: true };
}

/** Error texts go on one reply line. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Codes that count against the bad-command limit (garbage, not ordinary "no such article"). */
export const isBadCommandCode = (code: number): boolean =>
  code === CODE.UNKNOWN_COMMAND || code === CODE.SYNTAX_ERROR || code === CODE.AUTH_FAILED || code === CODE.AUTH_OUT_OF_SEQUENCE;
