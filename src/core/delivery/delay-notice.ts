// When a sender hears that their mail is late (RFC 3464 Action: delayed): once per recipient,
// after KEEP_QUEUE_DELAY_NOTICE seconds without delivery (0: never), as Postfix's
// delay_warning_time does. The bounce after KEEP_QUEUE_LIFETIME follows later, if it comes to that.
import type { QueueRecord } from '../../store/index.ts';

export function isDelayNoticeDue(e: Pick<QueueRecord, 'firstAttempt' | 'delayNotified'>, now: number, afterSeconds: number): boolean {
  return afterSeconds > 0 && !e.delayNotified && now - e.firstAttempt >= afterSeconds * 1000;
}
