// The delivery loop: every KEEP_QUEUE_INTERVAL ms (or when kicked), claim due queue entries from
// core, try each with nodemailer and report the outcome; core's retry policy (core/delivery)
// decides whether to retry, when, or to bounce. The queue lives in LMDB, so a killed worker's
// entries are taken up by the next one.
import { systemActor, type Core, type QueueEntry } from '../../../core/index.ts';
import type { Config } from '../../../config/index.ts';
import type { Logger } from '../../../log/index.ts';
import type { Metrics } from '../../../net/metrics.ts';
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

  /** Report the attempt to core, which decides (retry policy in core/delivery); log and count it. */
  const settle = async (e: QueueEntry, out: Outcome) => {
    const d = await core.delivery.queue.settle(actor, e, out);
    const result = d.kind === 'delivered' ? 'sent' : d.kind === 'bounce' ? 'bounced' : 'deferred';
    metrics.inc('keep_smtp_outbound_total', 'outbound deliveries by result', { result });
    if (d.kind === 'delivered') log.info({ msgnum: e.msgnum, rcpt: e.recipient, mta: out.mta, attempts: e.attempts }, 'delivered');
    else if (d.kind === 'bounce') log.warn({ msgnum: e.msgnum, rcpt: e.recipient, error: out.kind !== 'sent' ? out.error : '', attempts: e.attempts }, 'bounced');
    else log.info({ msgnum: e.msgnum, rcpt: e.recipient, error: out.kind !== 'sent' ? out.error : '', retryAt: new Date(d.retryAt).toISOString() }, 'deferred');
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
