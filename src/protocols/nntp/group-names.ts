// Newsgroup names for rooms (README §NNTP group names): keep.<floor>.<room>, stable and documented.
// Pure: the directory (groups.ts) feeds it the rooms a reader may see.

/** One name component: lower case, accents dropped, runs of anything but [a-z0-9+_-] become '-'. */
export function nameComponent(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9+_-]+/g, '-').replace(/^-+|-+$/g, '');
}

export interface NameableRoom { roomnum: number; name: string; floor: number }

/**
 * Group names for rooms: `keep.<floor>.<room>`. An empty component becomes `floor<n>` / `room<n>`.
 * When two rooms map to the same name, the older room (lower number) keeps it and each newer one
 * gets `-<roomnum>` appended, so a name never moves to a different room.
 */
export function assignGroupNames<R extends NameableRoom>(rooms: R[], floorName: (floor: number) => string | undefined): Map<string, R> {
  const byName = new Map<string, R>();
  for (const r of [...rooms].sort((a, b) => a.roomnum - b.roomnum)) {
    const floor = nameComponent(floorName(r.floor) ?? '') || `floor${r.floor}`;
    const base = `keep.${floor}.${nameComponent(r.name) || `room${r.roomnum}`}`;
    byName.set(byName.has(base) ? `${base}-${r.roomnum}` : base, r);
  }
  return byName;
}
