// The delivery loop: every KEEP_QUEUE_INTERVAL ms (or when kicked), claim due queue entries from
// core and try each with nodemailer. 4xx and network trouble: retry with doubling backoff from
// KEEP_QUEUE_RETRY_MIN up to 4 h; 5xx, or still undelivered after KEEP_QUEUE_LIFETIME: bounce.
// The queue lives in LMDB, so a killed worker's entries are taken up by the next one.
import { systemActor, type Core, type QueueEntry } from '../../../core/index.ts';
import type { Config } from '../../../config/index.ts';
import type { Logger } from '../../../log/index.ts';
import type { Metrics } from '../../../net/metrics.ts';
import { backoffMs } from './backoff.ts';
import { parseRoutes } from './routes.ts';
import { sendOne, type Outcome, type SendOptions } from './send.ts';

const BATCH = 20;
const SEND_TIMEOUT_MS = 30_000;
/** an entry being sent is hidden this long; longer than any one attempt can take */
const LEASE_MS = 10 * 60 * 1000;
const CLOSE_WAIT_MS = 5_000;

export interface Outbound {
  kick(): void;
  close(): Promise<void>;
}

export function startOutbound(deps: { core: Core; config: Config; log: Logger; metrics: Metrics }): Outbound {
  const { core, config, metrics } = deps;
  const log = deps.log.child({ proto: 'smtp-out' });
  const actor = systemActor('smtp-queue');
  const opts: SendOptions = { routes: parseRoutes(config.smtpRoutes), heloName: config.domain, timeoutMs: SEND_TIMEOUT_MS };
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const settle = async (e: QueueEntry, out: Outcome) => {
    const now = Date.now();
    if (out.kind === 'sent') {
      await core.delivery.queue.delivered(actor, e);
      metrics.inc('keep_smtp_outbound_total', 'outbound deliveries by result', { result: 'sent' });
      log.info({ msgnum: e.msgnum, rcpt: e.recipient, mta: out.mta, attempts: e.attempts }, 'delivered');
      return;
    }
    const isExpired = now - e.firstAttempt >= config.queueLifetime * 1000;
    if (out.kind === 'permanent' || isExpired) {
      // Remote-MTA names a host (RFC 3464 §2.3.5), not our host:port route
      await core.delivery.queue.failed(actor, e, { error: out.error, ...(out.mta ? { remoteMta: out.mta.replace(/:\d+$/, '') } : {}), isExpiry: out.kind !== 'permanent' });
      metrics.inc('keep_smtp_outbound_total', 'outbound deliveries by result', { result: 'bounced' });
      log.warn({ msgnum: e.msgnum, rcpt: e.recipient, error: out.error, attempts: e.attempts }, 'bounced');
      return;
    }
    const retryAt = now + backoffMs(e.attempts, config.queueRetryMin);
    await core.delivery.queue.deferred(actor, e, { error: out.error, retryAt });
    metrics.inc('keep_smtp_outbound_total', 'outbound deliveries by result', { result: 'deferred' });
    log.info({ msgnum: e.msgnum, rcpt: e.recipient, error: out.error, retryAt: new Date(retryAt).toISOString() }, 'deferred');
  };

  const deliver = async (e: QueueEntry) => {
    let raw: Buffer;
    try {
      raw = core.messages.raw(actor, e.msgnum);
    } catch (err) {
      log.error({ err, msgnum: e.msgnum }, 'queued message is gone; dropping the entry');
      await core.delivery.queue.delivered(actor, e);
      return;
    }
    await settle(e, await sendOne(opts, { sender: e.sender, recipient: e.recipient }, raw));
  };

  const tick = async () => {
    for (let round = 0; round < 100 && !closed; round++) {
      again = false;
      const due = await core.delivery.queue.claimDue(actor, { now: Date.now(), limit: BATCH, leaseMs: LEASE_MS });
      const results = await Promise.allSettled(due.map(deliver));
      for (const r of results) if (r.status === 'rejected') log.error({ err: r.reason }, 'queue entry could not be settled; it is retried after its lease');
      if (due.length < BATCH && !again) return;
    }
  };

  const kick = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((err: unknown) => log.error({ err }, 'queue run failed'))
      .finally(() => { running = undefined; });
  };

  const timer = setInterval(kick, config.queueInterval);
  timer.unref();
  // entries a killed worker was sending are ours now; then the first run
  const startedAt = Date.now();
  running = core.delivery.queue.reclaim(actor, startedAt)
    .then((n) => { if (n) log.warn({ count: n }, 'took over queue entries a previous worker was sending'); })
    .catch((err: unknown) => log.error({ err }, 'queue reclaim failed'))
    .finally(() => { running = undefined; kick(); });
  return {
    kick,
    async close() {
      closed = true;
      clearInterval(timer);
      // a slow remote server must not hold up a restart: what is still being sent stays
      // claimed in the store and the next worker takes it over (reclaim), at least once
      await Promise.race([running, new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    },
  };
}
