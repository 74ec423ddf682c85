// The export stream (protocol/export.md): one JSON record per line, in a fixed order, so that
// export → import → export gives the same bytes. Derived indexes (names, Message-IDs) are not
// exported; import rebuilds them.

export const EXPORT_FORMAT = 'keep-export';
export const EXPORT_VERSION = 1;

/**
 * Audit entries about making or loading an export stay in the store where they happened: an
 * import must not add to the stream it came from, or the round trip would not be exact.
 */
export const LOCAL_AUDIT_ACTIONS = new Set(['store.export', 'store.import']);

export type ExportLine =
  | { t: 'header'; format: typeof EXPORT_FORMAT; version: number; schema: number }
  | { t: 'meta'; k: string; v: unknown }
  | { t: 'user'; k: number; v: unknown }
  | { t: 'floor'; k: number; v: unknown }
  | { t: 'room'; k: number; v: unknown }
  | { t: 'message'; k: number; v: unknown; raw: string; text?: string }
  | { t: 'placement'; k: [number, number]; v: unknown }
  | { t: 'visit'; k: [number, number]; v: unknown }
  | { t: 'queue'; k: [number, number, string]; v: unknown }
  | { t: 'audit'; k: [number, number]; v: unknown }
  | { t: 'journal'; k: number; v: unknown }
  | { t: 'end'; records: number };

export class ExportFormatError extends Error {}
