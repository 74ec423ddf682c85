// Write the whole store as export lines from ONE read transaction, so a running server's
// concurrent writes never make the stream inconsistent (a placement without its message).
import type { Store } from '../../store/index.ts';
import { SCHEMA_VERSION } from '../../store/index.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, LOCAL_AUDIT_ACTIONS, type ExportLine } from './format.ts';

/** Meta entries that belong to one store, not to its content. */
const LOCAL_META = new Set(['identity', 'schemaVersion']);

/** Every record of the store as export lines, in the fixed order of protocol/export.md. */
export function* exportLines(store: Store): Generator<string> {
  const { dbs, env } = store;
  const transaction = env.useReadTransaction();
  const opts = { transaction };
  let records = 0;
  const line = (l: ExportLine) => {
    records += 1;
    return `${JSON.stringify(l)}\n`;
  };
  try {
    yield `${JSON.stringify({ t: 'header', format: EXPORT_FORMAT, version: EXPORT_VERSION, schema: SCHEMA_VERSION } satisfies ExportLine)}\n`;
    for (const { key, value } of dbs.meta.getRange(opts)) {
      if (LOCAL_META.has(key)) continue;
      // the audit sequence is rebuilt on import from the audit entries themselves
      const v = key === 'counters' ? withoutAuditSeq(value) : value;
      yield line({ t: 'meta', k: key, v });
    }
    for (const { key, value } of dbs.floors.getRange(opts)) yield line({ t: 'floor', k: key, v: value });
    for (const { key, value } of dbs.users.getRange(opts)) yield line({ t: 'user', k: key, v: value });
    for (const { key, value } of dbs.rooms.getRange(opts)) yield line({ t: 'room', k: key, v: value });
    for (const { key, value } of dbs.messages.getRange(opts)) {
      const raw = dbs.bodies.get(key, opts) ?? Buffer.alloc(0);
      const text = value.format === 'text' ? undefined : dbs.texts.get(key, opts);
      yield line({ t: 'message', k: key, v: value, raw: raw.toString('base64'), ...(text !== undefined ? { text } : {}) });
    }
    for (const { key, value } of dbs.roomLists.getRange(opts)) yield line({ t: 'placement', k: key, v: value });
    for (const { key, value } of dbs.visits.getRange(opts)) yield line({ t: 'visit', k: key, v: value });
    for (const { key, value } of dbs.queue.getRange(opts)) yield line({ t: 'queue', k: key, v: value });
    for (const { key, value } of dbs.audit.getRange(opts)) {
      if (!LOCAL_AUDIT_ACTIONS.has(value.action)) yield line({ t: 'audit', k: key, v: value });
    }
    for (const { key, value } of dbs.journal.getRange(opts)) yield line({ t: 'journal', k: key, v: value });
    yield `${JSON.stringify({ t: 'end', records } satisfies ExportLine)}\n`;
  } finally {
    transaction.done();
  }
}

function withoutAuditSeq(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const { auditSeq: _ignored, ...rest } = v as Record<string, unknown>;
  return rest;
}
