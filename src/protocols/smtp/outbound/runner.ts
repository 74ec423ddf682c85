// The delivery loop: every KEEP_QUEUE_INTERVAL ms (or when kicked), claim due queue entries from
// core, group them into one SMTP transaction per message, envelope sender and recipient domain,
// sign (DKIM), send, and report each recipient's outcome; core's retry policy (core/delivery)
// decides whether to retry, when (doubling backoff, one delay notice), or to bounce. Each outcome
// (TLS or not, the remote's reply) is logged and kept in the entry. The queue lives in LMDB, so a
// killed worker's entries are taken up by the next one.
import { systemActor, type Core, type QueueEntry } from '../../../core/index.ts';
import type { DkimKeys } from '../../../core/mail-auth/dkim-keys.ts';
import { localDomainsOf, resolverOf } from '../../../core/mail-auth/site.ts';
import type { Config } from '../../../config/index.ts';
import type { Logger } from '../../../log/index.ts';
import type { Metrics } from '../../../net/metrics.ts';
import { parseRoutes } from './routes.ts';
import { sendGroup, type Outcome, type SendOptions } from './send.ts';
import { signMessage, type SignOptions } from './dkim.ts';
import { createMtaSts } from './mta-sts.ts';

const BATCH = 50;
const SEND_TIMEOUT_MS = 30_000;
/** an entry being sent is hidden this long; longer than any one attempt can take */
const LEASE_MS = 10 * 60 * 1000;
const CLOSE_WAIT_MS = 5_000;

export interface Outbound {
  kick(): void;
  close(): Promise<void>;
}

/** Entries that travel in one SMTP transaction: same message, same envelope sender, same domain. */
export function groupEntries(entries: QueueEntry[]): QueueEntry[][] {
  const groups = new Map<string, QueueEntry[]>();
  for (const e of entries) {
    const key = `${e.msgnum}\u0000${e.sender}\u0000${e.recipient.slice(e.recipient.lastIndexOf('@') + 1).toLowerCase()}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

export function startOutbound(deps: { core: Core; config: Config; log: Logger; metrics: Metrics; dkimKeys: DkimKeys }): Outbound {
  const { core, config, metrics } = deps;
  const log = deps.log.child({ proto: 'smtp-out' });
  const actor = systemActor('smtp-queue');
  const resolve = resolverOf(config);
  const opts: SendOptions = { routes: parseRoutes(config.smtpRoutes), heloName: config.domain, timeoutMs: SEND_TIMEOUT_MS, resolve, mtaSts: createMtaSts(resolve) };
  const signing: SignOptions = { keys: deps.dkimKeys, localDomains: localDomainsOf(config), primary: config.domain.toLowerCase() };
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  /** Report the attempt to core, which decides (retry policy in core/delivery); log and count it. */
  const settle = async (e: QueueEntry, out: Outcome, isTls: boolean) => {
    const d = await core.delivery.queue.settle(actor, e, out, { isTls });
    const result = d.kind === 'delivered' ? 'sent' : d.kind === 'bounce' ? 'bounced' : 'deferred';
    metrics.inc('keep_smtp_outbound_total', 'outbound deliveries by result', { result });
    const error = out.kind !== 'sent' ? out.error : '';
    if (d.kind === 'delivered') log.info({ msgnum: e.msgnum, rcpt: e.recipient, mta: out.mta, tls: isTls, reply: out.kind === 'sent' ? out.response : undefined, attempts: e.attempts }, 'delivered');
    else if (d.kind === 'bounce') log.warn({ msgnum: e.msgnum, rcpt: e.recipient, tls: isTls, error, attempts: e.attempts }, 'bounced');
    else log.info({ msgnum: e.msgnum, rcpt: e.recipient, tls: isTls, error, retryAt: new Date(d.retryAt).toISOString(), delayNotice: d.notifyDelay === true }, 'deferred');
  };

  const deliver = async (group: QueueEntry[]) => {
    const head = group[0]!;
    let raw: Buffer;
    let from: string | undefined;
    try {
      raw = core.messages.raw(actor, head.msgnum);
      from = core.messages.get(actor, head.msgnum).envelope?.from?.[0]?.address;
      // list mail goes out with the list's List-* header fields (RFC 2369, RFC 2919)
      if (head.listRoom !== undefined) raw = Buffer.concat([Buffer.from(core.delivery.lists.headers(head.listRoom)), raw]);
    } catch (err) {
      log.error({ err, msgnum: head.msgnum }, 'queued message or its list is gone; dropping the entry');
      for (const e of group) await core.delivery.queue.delivered(actor, e);
      return;
    }
    const signed = await signMessage(signing, raw, { ...(from ? { from } : {}), sender: head.sender });
    const result = await sendGroup(opts, { sender: head.sender, recipients: group.map((e) => e.recipient) }, signed);
    for (const e of group) await settle(e, result.outcomes.get(e.recipient)!, result.isTls);
  };

  const tick = async () => {
    for (let round = 0; round < 100 && !closed; round++) {
      again = false;
      const due = await core.delivery.queue.claimDue(actor, { now: Date.now(), limit: BATCH, leaseMs: LEASE_MS });
      const results = await Promise.allSettled(groupEntries(due).map(deliver));
      for (const r of results) if (r.status === 'rejected') log.error({ err: r.reason }, 'queue entries could not be settled; they are retried after their lease');
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
