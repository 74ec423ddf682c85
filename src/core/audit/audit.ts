// The audit trail: destructive and administrative operations with who, what, when, from where.
// Written in the same transaction as the operation it describes, so neither exists without the other.
import type { AuditRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { actorLabel, isAide } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';

export interface AuditEntry extends AuditRecord {}

export interface AuditQuery {
  since?: number;
  user?: string;
  limit?: number;
}

export function createAudit(ctx: Ctx) {
  const { store } = ctx;
  // named, not reached through `this`: core's public face is a copy without recordInTxn
  const audit = {
    /** Record an entry; call inside store.write() so it commits with the operation. */
    recordInTxn(actor: Actor, action: string, target?: string, details?: Record<string, unknown>): void {
      const rec: AuditRecord = { time: Date.now(), actor: actorLabel(actor), action, origin: actor.origin };
      if (target !== undefined) rec.target = target;
      if (details !== undefined) rec.details = details;
      const seq = store.next('auditSeq');
      store.dbs.audit.putSync([rec.time, seq], rec);
      ctx.log.info({ audit: true, actor: rec.actor, action, target, origin: rec.origin }, 'audit');
    },

    /** Record an entry on its own; durable when the promise resolves. */
    async record(actor: Actor, action: string, target?: string, details?: Record<string, unknown>): Promise<void> {
      await store.write(() => audit.recordInTxn(actor, action, target, details));
    },

    /** Read the audit trail (aides only), oldest first. */
    list(actor: Actor, q: AuditQuery = {}): AuditEntry[] {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required to read the audit log.');
      const out: AuditEntry[] = [];
      for (const { value } of store.dbs.audit.getRange({ start: [q.since ?? 0, 0] })) {
        if (q.user && value.actor.toLowerCase() !== q.user.toLowerCase()) continue;
        out.push(value);
        if (q.limit && out.length >= q.limit) break;
      }
      return out;
    },
  };
  return audit;
}

export type Audit = ReturnType<typeof createAudit>;
