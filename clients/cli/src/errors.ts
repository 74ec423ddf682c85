// The client's errors and their exit codes: 0 ok, 1 the server refused, 2 cannot connect or bad usage.
export type ClientErrorKind = 'usage' | 'connect' | 'lost' | 'refused';

export class ClientError extends Error {
  constructor(readonly kind: ClientErrorKind, message: string, readonly code?: number) {
    super(message);
  }
}

export const EXIT_CODES: Record<ClientErrorKind, number> = { usage: 2, connect: 2, lost: 2, refused: 1 };

export function isClientError(e: unknown): e is ClientError {
  return e instanceof ClientError;
}

/** One line for stderr: never a stack trace, never more than one line. */
export function describeError(e: unknown): { line: string; exitCode: number } {
  if (isClientError(e)) return { line: oneLine(e.message), exitCode: EXIT_CODES[e.kind] };
  const err = e as NodeJS.ErrnoException;
  return { line: oneLine(`internal error: ${err?.message ?? String(e)}`), exitCode: 2 };
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Readable words for socket errors (ECONNREFUSED and friends). */
export function socketErrorText(err: NodeJS.ErrnoException, where: string): string {
  switch (err.code) {
    case 'ECONNREFUSED': return `cannot connect to ${where}: connection refused (is keepd running?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot connect to ${where}: unknown host`;
    case 'ETIMEDOUT': return `cannot connect to ${where}: timed out`;
    case 'ECONNRESET': case 'EPIPE': return `connection to ${where} was reset`;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return `cannot connect to ${where}: host unreachable`;
    default: return `cannot connect to ${where}: ${err.code ?? err.message}`;
  }
}
