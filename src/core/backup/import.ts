// Load an export stream into an EMPTY store, rebuilding the derived indexes (user names, room
// names, Message-IDs). The caller imports into a fresh directory and moves it into place only
// when this resolves, so a bad stream never leaves a partial store behind.
import type { Store } from '../../store/index.ts';
import { SCHEMA_VERSION, runMigrations, withHashedPassword } from '../../store/index.ts';
import type { MessageRecord, MetaCounters, RoomRecord, UserRecord } from '../../store/index.ts';
import { nameKey } from '../rooms/room.ts';
import { indexMessageIdInTxn } from '../messages/message-ids.ts';
import { EXPORT_FORMAT, ExportFormatError, type ExportLine } from './format.ts';

export interface ImportCounts {
  records: number;
  users: number;
  rooms: number;
  messages: number;
  bytes: number;
}

/** records per write transaction: one sync per batch keeps a large import fast */
const BATCH = 10_000;

/** Import lines into an empty store; rejects with ExportFormatError on any malformed or truncated input. */
export async function importLines(store: Store, lines: AsyncIterable<string>, onProgress?: (c: ImportCounts) => void): Promise<ImportCounts> {
  if (store.dbs.users.getKeysCount() > 0 || store.dbs.rooms.getKeysCount() > 0) throw new ExportFormatError('the target store is not empty');
  const counts: ImportCounts = { records: 0, users: 0, rooms: 0, messages: 0, bytes: 0 };
  let lineNo = 0;
  let isHeaderSeen = false;
  let schema = SCHEMA_VERSION;
  let end: number | undefined;
  let batch: ExportLine[] = [];
  let maxAuditSeq = 0;
  const flush = () => {
    const b = batch;
    batch = [];
    store.env.transactionSync(() => {
      for (const l of b) maxAuditSeq = Math.max(maxAuditSeq, put(store, l));
    });
    onProgress?.(counts);
  };
  for await (const text of lines) {
    lineNo += 1;
    if (text === '') continue;
    if (end !== undefined) throw new ExportFormatError(`line ${lineNo}: data after the end record`);
    const l = parseLine(text, lineNo);
    if (!isHeaderSeen) {
      schema = checkHeader(l, lineNo);
      isHeaderSeen = true;
      continue;
    }
    if (l.t === 'header') throw new ExportFormatError(`line ${lineNo}: a second header`);
    if (l.t === 'end') {
      end = l.records;
      continue;
    }
    counts.records += 1;
    if (l.t === 'user') counts.users += 1;
    else if (l.t === 'room') counts.rooms += 1;
    else if (l.t === 'message') {
      counts.messages += 1;
      counts.bytes += Math.floor((l.raw.length * 3) / 4);
    }
    batch.push(l);
    if (batch.length >= BATCH) flush();
  }
  if (!isHeaderSeen) throw new ExportFormatError('empty input: no export header');
  if (end === undefined) throw new ExportFormatError(`the stream ends without its end record after ${counts.records} records (truncated?)`);
  if (end !== counts.records) throw new ExportFormatError(`the end record counts ${end} records but the stream has ${counts.records}`);
  flush();
  store.env.transactionSync(() => {
    const c = store.dbs.meta.get('counters') as MetaCounters;
    store.dbs.meta.putSync('counters', { ...c, auditSeq: Math.max(c.auditSeq ?? 1, maxAuditSeq + 1) });
    store.dbs.meta.putSync('schemaVersion', schema);
  });
  runMigrations(store);
  await store.env.flushed;
  return counts;
}

function parseLine(text: string, lineNo: number): ExportLine {
  let l: unknown;
  try {
    l = JSON.parse(text);
  } catch {
    throw new ExportFormatError(`line ${lineNo}: not a JSON record`);
  }
  if (!l || typeof l !== 'object' || typeof (l as { t?: unknown }).t !== 'string') throw new ExportFormatError(`line ${lineNo}: not an export record`);
  return l as ExportLine;
}

/** The export's schema version: this one or an older one, which the store's migrations bring up to date. */
function checkHeader(l: ExportLine, lineNo: number): number {
  if (l.t !== 'header' || l.format !== EXPORT_FORMAT) throw new ExportFormatError(`line ${lineNo}: not a Keep export (no header)`);
  if (!Number.isInteger(l.schema) || l.schema < 1 || l.schema > SCHEMA_VERSION) {
    throw new ExportFormatError(`the export has schema version ${l.schema}; this Keep imports versions 1 to ${SCHEMA_VERSION}`);
  }
  return l.schema;
}

/** Write one record and its derived index entries; returns the audit sequence it used (0 if none). */
function put(store: Store, l: ExportLine): number {
  const { dbs } = store;
  switch (l.t) {
    case 'meta':
      dbs.meta.putSync(l.k, l.v);
      return 0;
    case 'floor':
      dbs.floors.putSync(l.k, l.v as never);
      return 0;
    case 'user': {
      const u = l.v as UserRecord;
      dbs.users.putSync(l.k, u);
      for (const k of new Set([u.name.toLowerCase(), ...u.addresses])) dbs.userNames.putSync(k, u.usernum);
      return 0;
    }
    case 'room': {
      // an older export carries a room password in clear: it is stored hashed
      const r = withHashedPassword(l.v as RoomRecord);
      dbs.rooms.putSync(l.k, r);
      const owner = r.kind === 'mailbox' || r.kind === 'direct' ? r.owners[0] : undefined;
      dbs.roomNames.putSync(nameKey(r.name, owner), r.roomnum);
      return 0;
    }
    case 'message': {
      const m = l.v as MessageRecord;
      dbs.messages.putSync(l.k, m);
      dbs.bodies.putSync(l.k, Buffer.from(l.raw, 'base64'));
      if (l.text !== undefined) dbs.texts.putSync(l.k, l.text);
      if (m.messageId) indexMessageIdInTxn(dbs, m.messageId, m.msgnum);
      return 0;
    }
    case 'placement':
      dbs.roomLists.putSync(l.k, l.v as never);
      return 0;
    case 'visit':
      dbs.visits.putSync(l.k, l.v as never);
      return 0;
    case 'queue':
      dbs.queue.putSync(l.k, l.v as never);
      return 0;
    case 'audit':
      dbs.audit.putSync(l.k, l.v as never);
      return l.k[1];
    case 'journal':
      dbs.journal.putSync(l.k, l.v as never);
      return 0;
    default:
      throw new ExportFormatError(`unknown record type '${(l as { t: string }).t}'`);
  }
}
