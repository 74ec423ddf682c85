// Retry delay after the n-th failed attempt: KEEP_QUEUE_RETRY_MIN, doubling, at most 4 hours.
export const MAX_BACKOFF_MS = 4 * 3600 * 1000;

export function backoffMs(attempts: number, retryMinSeconds: number): number {
  return Math.min(retryMinSeconds * 1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}
