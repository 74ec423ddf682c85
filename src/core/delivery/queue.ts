// The outbound queue: entries keyed (due time, msgnum, recipient) in the store's queue database,
// one per remote recipient, each holding a reference on its message until delivered or bounced.
// The sending itself is the SMTP translator's (nodemailer); this module owns the state, and
// policy.ts decides after each attempt whether to retry, when, or to bounce.
import type { QueueRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { actorLabel, isAide } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Messages } from '../messages/messages.ts';
import type { Rooms } from '../rooms/rooms.ts';
import type { Users } from '../users/users.ts';
import { composeDsn, statusOf } from './dsn.ts';
import { decide, DEFAULT_DELAY_NOTICE_S, DEFAULT_LIFETIME_S, DEFAULT_RETRY_MIN_S, type Decision, type SendOutcome } from './policy.ts';

/** One queued delivery as core's callers see it; `due` is part of its identity. */
export interface QueueEntry extends QueueRecord {
  due: number;
}

export interface QueueDeps {
  audit: Audit;
  messages: Messages;
  rooms: Rooms;
  users: Users;
}

type Key = [number, number, string];
const keyOf = (e: QueueEntry): Key => [e.due, e.msgnum, e.recipient];
const toEntry = (key: Key, r: QueueRecord): QueueEntry => ({ ...r, due: key[0] });
const toRecord = (e: QueueEntry): QueueRecord => {
  const { due: _due, ...rec } = e;
  return rec;
};

export function createQueue(ctx: Ctx, deps: QueueDeps) {
  const { store } = ctx;
  const { dbs } = store;

  const requireSystem = (actor: Actor) => {
    if (actor.kind !== 'system') throw new CoreError('forbidden', 'Only the mail system changes delivery state.');
  };

  /** Drop the queue's reference on a message (the message goes with its last reference). */
  const releaseInTxn = (msgnum: number) => {
    const m = dbs.messages.get(msgnum);
    if (!m) return;
    const refcount = Math.max(0, m.refcount - 1);
    dbs.messages.putSync(msgnum, refcount === 0 ? { ...m, refcount, deletedAt: Date.now() } : { ...m, refcount });
  };

  /** Move an entry to a new due time with new state, inside a write transaction. */
  const rescheduleInTxn = (e: QueueEntry, next: QueueEntry): boolean => {
    if (!dbs.queue.get(keyOf(e))) return false; // gone meanwhile (deleted by an admin)
    dbs.queue.removeSync(keyOf(e));
    dbs.queue.putSync(keyOf(next), toRecord(next));
    return true;
  };

  const queue = {
    /** Every queue entry in due order (aides and the system). */
    list(actor: Actor): QueueEntry[] {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      return [...dbs.queue.getRange()].map(({ key, value }) => toEntry(key as Key, value));
    },

    /**
     * Claim up to `limit` entries due by `now`: each is moved to now + leaseMs with one more
     * attempt counted, so a worker that dies mid-send leaves it to be tried again after the
     * lease (at least once, never lost). Durable on resolve. System actor only.
     */
    async claimDue(actor: Actor, opts: { now: number; limit: number; leaseMs: number }): Promise<QueueEntry[]> {
      requireSystem(actor);
      return store.write(() => {
        const due = [...dbs.queue.getRange({ end: [opts.now + 1], limit: opts.limit })].map(({ key, value }) => toEntry(key as Key, value));
        return due.map((e) => {
          const next: QueueEntry = { ...e, due: opts.now + opts.leaseMs, attempts: e.attempts + 1, lastAttempt: opts.now, state: 'sending' };
          rescheduleInTxn(e, next);
          return next;
        });
      });
    },

    /**
     * Make entries a previous worker was sending (claimed before `startedAt`) due now: that
     * worker is gone, so waiting out its lease would only delay them. At least once: such an
     * entry may have been sent already. System actor only; returns how many.
     */
    async reclaim(actor: Actor, startedAt: number): Promise<number> {
      requireSystem(actor);
      return store.write(() => {
        const stale = [...dbs.queue.getRange()].map(({ key, value }) => toEntry(key as Key, value))
          .filter((e) => e.state === 'sending' && (e.lastAttempt ?? 0) < startedAt);
        for (const e of stale) rescheduleInTxn(e, { ...e, due: startedAt, state: 'pending' });
        return stale.length;
      });
    },

    /**
     * Settle an attempt by the retry policy: delivered, deferred with backoff (with one delay
     * notice once it is late), or bounced (a permanent failure, or the end of the lifetime).
     * `isTls` says whether the session was encrypted. Returns what was decided. System actor only.
     */
    async settle(actor: Actor, e: QueueEntry, out: SendOutcome, opts: { isTls?: boolean; now?: number } = {}): Promise<Decision> {
      const now = opts.now ?? Date.now();
      const settings = {
        retryMinS: ctx.settings.queueRetryMinS ?? DEFAULT_RETRY_MIN_S, lifetimeS: ctx.settings.queueLifetimeS ?? DEFAULT_LIFETIME_S,
        delayNoticeS: ctx.settings.queueDelayNoticeS ?? DEFAULT_DELAY_NOTICE_S,
      };
      const d = decide(e, out, settings, now);
      if (d.kind === 'delivered') await queue.delivered(actor, e);
      else if (d.kind === 'defer' && out.kind !== 'sent') {
        await queue.deferred(actor, e, { error: out.error, retryAt: d.retryAt, ...(opts.isTls !== undefined ? { isTls: opts.isTls } : {}), notifyDelay: d.notifyDelay === true });
      }
      else if (d.kind === 'bounce' && out.kind !== 'sent') {
        // Remote-MTA names a host (RFC 3464 §2.3.5), not a host:port route
        await queue.failed(actor, e, { error: out.error, ...(out.mta ? { remoteMta: out.mta.replace(/:\d+$/, '') } : {}), isExpiry: d.isExpiry });
      }
      return d;
    },

    /** The entry was accepted by the remote server: remove it. Durable on resolve. */
    async delivered(actor: Actor, e: QueueEntry): Promise<void> {
      requireSystem(actor);
      await store.write(() => {
        if (!dbs.queue.get(keyOf(e))) return;
        dbs.queue.removeSync(keyOf(e));
        releaseInTxn(e.msgnum);
      });
    },

    /**
     * A temporary failure: try again at `retryAt`, remembering the remote's reply and whether the
     * session was encrypted. With `notifyDelay` (see isDelayNoticeDue) the sender gets one delay
     * notice first (RFC 3464 Action: delayed), committed before the entry is marked notified.
     * Durable on resolve.
     */
    async deferred(actor: Actor, e: QueueEntry, opts: { error: string; retryAt: number; isTls?: boolean; notifyDelay?: boolean }): Promise<void> {
      requireSystem(actor);
      const notify = opts.notifyDelay === true && !e.delayNotified;
      if (notify) await notifySender(actor, e, { error: opts.error, action: 'delayed' });
      await store.write(() => {
        rescheduleInTxn(e, {
          ...e, due: opts.retryAt, state: 'pending', lastError: opts.error.slice(0, 1000),
          ...(opts.isTls !== undefined ? { lastTls: opts.isTls } : {}), ...(notify ? { delayNotified: true } : {}),
        });
      });
    },

    /**
     * A permanent failure or expiry: a delivery status notification goes into the sender's
     * Mail room (when the sender is a local user and not the null sender), then the entry goes.
     * The bounce is committed first, so a crash in between repeats the bounce, never loses it.
     */
    async failed(actor: Actor, e: QueueEntry, opts: { error: string; remoteMta?: string; isExpiry?: boolean }): Promise<void> {
      requireSystem(actor);
      if (!dbs.queue.get(keyOf(e))) return;
      await notifySender(actor, e, { ...opts, action: 'failed' });
      await store.write(() => {
        if (!dbs.queue.get(keyOf(e))) return;
        dbs.queue.removeSync(keyOf(e));
        releaseInTxn(e.msgnum);
      });
    },

    /** Make entries (all, or one message's) due now. Aides; audited. Returns how many. */
    async retryNow(actor: Actor, msgnum?: number): Promise<number> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      const now = Date.now();
      return store.write(() => {
        const hits = [...dbs.queue.getRange()].map(({ key, value }) => toEntry(key as Key, value)).filter((e) => msgnum === undefined || e.msgnum === msgnum);
        for (const e of hits) rescheduleInTxn(e, { ...e, due: now, state: 'pending' });
        deps.audit.recordInTxn(actor, 'queue.retry', msgnum === undefined ? 'all' : String(msgnum), { count: hits.length });
        return hits.length;
      });
    },

    /** Delete a message's entries without a bounce. Aides; audited. Returns how many. */
    async remove(actor: Actor, msgnum: number): Promise<number> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      return store.write(() => {
        const hits = [...dbs.queue.getRange()].filter(({ value }) => value.msgnum === msgnum);
        for (const { key } of hits) {
          dbs.queue.removeSync(key);
          releaseInTxn(msgnum);
        }
        deps.audit.recordInTxn(actor, 'queue.delete', String(msgnum), { count: hits.length });
        return hits.length;
      });
    },
  };

  /** A DSN (failed or delayed) into the local sender's Mail room; none for <> or a stranger. */
  async function notifySender(actor: Actor, e: QueueEntry, opts: { error: string; remoteMta?: string; isExpiry?: boolean; action: 'failed' | 'delayed' }): Promise<void> {
    const sender = e.sender.trim();
    const user = sender ? deps.users.findByAddress(sender) : undefined;
    if (!user || user.level === 0) {
      ctx.log.warn({ msgnum: e.msgnum, recipient: e.recipient, sender, actor: actorLabel(actor) }, 'undeliverable mail with no local sender to notify');
      return;
    }
    const raw = dbs.bodies.get(e.msgnum) ?? Buffer.alloc(0);
    const msg = dbs.messages.get(e.msgnum);
    const headerEnd = msg?.bodyOffset ?? raw.length;
    const dsn = await composeDsn({
      domain: ctx.settings.domain, humanNode: ctx.settings.humanNode, to: sender, recipient: e.recipient, action: opts.action,
      status: opts.isExpiry ? '4.4.7' : statusOf(opts.error, opts.action === 'failed'), diagnostic: opts.error,
      ...(opts.remoteMta ? { remoteMta: opts.remoteMta } : {}), originalHeader: raw.subarray(0, headerEnd).toString('utf8'),
      ...(msg?.messageId ? { originalMessageId: msg.messageId } : {}), arrival: e.firstAttempt, lastAttempt: e.lastAttempt ?? Date.now(),
    });
    const inbox = deps.rooms.mailbox(user.usernum, 'inbox').roomnum;
    await deps.messages.deliver(actor, { kind: 'system', raw: dsn, roomnums: [inbox], sender: '' });
  }

  return queue;
}

export type Queue = ReturnType<typeof createQueue>;
