// Each room record keeps the number of messages placed in it (GOTO's and the room lists' total),
// maintained with every placement. This recounts them from the room lists: the schema 1 → 2
// migration, an import, and `keepd check --repair` use it. Call inside a write transaction.
import type { Dbs } from './store.ts';

const listed = (dbs: Dbs, roomnum: number) => dbs.roomLists.getKeysCount({ start: [roomnum, 0], end: [roomnum, Number.MAX_SAFE_INTEGER] });

/** Rooms whose stored count differs from their room list, with the right count. */
export function roomCountErrors(dbs: Dbs): { roomnum: number; stored: number | undefined; actual: number }[] {
  const out: { roomnum: number; stored: number | undefined; actual: number }[] = [];
  for (const { key, value } of dbs.rooms.getRange()) {
    const actual = listed(dbs, key);
    if (value.count !== actual) out.push({ roomnum: key, stored: value.count, actual });
  }
  return out;
}

/** Set one room's count from its room list (a room that is gone is left alone). */
export function recountRoomInTxn(dbs: Dbs, roomnum: number): void {
  const room = dbs.rooms.get(roomnum);
  if (room) dbs.rooms.putSync(roomnum, { ...room, count: listed(dbs, roomnum) });
}

/** Set every room's count from its room list. */
export function recountRoomsInTxn(dbs: Dbs): number {
  const wrong = roomCountErrors(dbs);
  for (const w of wrong) dbs.rooms.putSync(w.roomnum, { ...dbs.rooms.get(w.roomnum)!, count: w.actual });
  return wrong.length;
}
