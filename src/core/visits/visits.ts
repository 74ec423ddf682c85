// Visits: per user and room, the last-seen pointer, the seen set and the per-user flag sets.
// Read state is shared by every protocol because they all read and write this record.
import { ranges, type Ranges, type VisitRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import { VisitCache } from './visit-cache.ts';
import { placedNums } from '../rooms/room-list.ts';

export type FlagName = 'seen' | 'answered' | 'flagged' | 'deleted' | 'draft';

/** One flag (or keyword) set or cleared on some messages. */
export interface FlagChange {
  flag: FlagName | { keyword: string };
  isOn: boolean;
  msgnums: number[];
}

export interface Visit {
  lastSeen: number;
  seen: Ranges;
  answered: Ranges;
  flagged: Ranges;
  deleted: Ranges;
  draft: Ranges;
  keywords: Record<string, Ranges>;
  isZapped: boolean;
  isInvited: boolean;
  modseq: number;
}

export function emptyVisit(): VisitRecord {
  return {
    lastSeen: 0, seen: [], answered: [], flagged: [], deleted: [], draft: [], keywords: {},
    isZapped: false, isInvited: false, mailMark: 0, infoSeen: 0, modseq: 0,
  };
}

/**
 * The messages a keyword is on. Keywords are client-chosen names: "constructor" or "__proto__"
 * must not read what every object inherits.
 */
export function keywordRanges(keywords: Record<string, Ranges>, keyword: string): Ranges {
  return Object.hasOwn(keywords, keyword) ? keywords[keyword]! : [];
}

/** Flags of one message for one user, as a list of names and keywords. */
export function flagsOf(v: VisitRecord | Visit, msgnum: number): { system: FlagName[]; keywords: string[] } {
  const system: FlagName[] = [];
  for (const f of ['seen', 'answered', 'flagged', 'deleted', 'draft'] as FlagName[]) {
    if (ranges.has(v[f], msgnum)) system.push(f);
  }
  const keywords = Object.entries(v.keywords).filter(([, r]) => ranges.has(r, msgnum)).map(([k]) => k);
  return { system, keywords };
}

/** The flags that are the user's own; \Seen is the read state every protocol shares. */
const OWN_FLAGS = ['answered', 'flagged', 'deleted', 'draft'] as const;

export function usernumOf(actor: Actor): number {
  if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
  return actor.usernum;
}

export function createVisits(ctx: Ctx) {
  const { store } = ctx;
  const { dbs } = store;
  const cache = new VisitCache(dbs.visits);

  /** Read-modify-write one visit record; call inside store.write(). */
  const updateInTxn = (usernum: number, roomnum: number, fn: (v: VisitRecord) => VisitRecord): VisitRecord => {
    const cur = dbs.visits.get([usernum, roomnum]) ?? emptyVisit();
    const next = fn({ ...cur });
    dbs.visits.putSync([usernum, roomnum], next);
    return next;
  };

  /** Is any of the sorted numbers within [a, b]? */
  const touches = (sorted: number[], a: number, b: number): boolean => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < a) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo]! <= b;
  };

  /**
   * The ranges near the removed messages, shrunk to the first and last message of each still
   * placed in the room (dropped when none is): two index seeks per range, not one per message.
   * The same array when nothing changed.
   */
  const trimToPlaced = (roomnum: number, r: Ranges, gone: number[]): Ranges => {
    let out: Ranges | undefined;
    for (let i = 0; i < r.length; i++) {
      const [a, b] = r[i]!;
      // a range the removal split ends right beside the removed message
      let trimmed: [number, number] | undefined = [a, b];
      if (touches(gone, a - 1, b + 1)) {
        const [first] = placedNums(dbs, roomnum, a, b, { limit: 1 });
        trimmed = first === undefined ? undefined : [first, placedNums(dbs, roomnum, a, b, { reverse: true, limit: 1 })[0]!];
      }
      if (!out && (trimmed?.[0] !== a || trimmed[1] !== b)) out = r.slice(0, i);
      if (out && trimmed) out.push(trimmed);
    }
    return out ?? r;
  };

  /**
   * Several flag changes to one user's record in a room under one new modseq, journalled; call
   * inside store.write(). Returns the modseq, or 0 when nothing was asked (or every message
   * asked to take a flag has left the room).
   */
  const changeFlagsInTxn = (usernum: number, roomnum: number, changes: FlagChange[]): number => {
    // a flag set on a message another session just removed from the room would stay in the
    // record for good (nothing trims it later): only messages still placed take one
    const isPlaced = (n: number) => dbs.roomLists.doesExist([roomnum, n]);
    const asked = changes.map((c) => (c.isOn ? { ...c, msgnums: c.msgnums.filter(isPlaced) } : c)).filter((c) => c.msgnums.length > 0);
    if (asked.length === 0) return 0;
    const v = updateInTxn(usernum, roomnum, (v) => {
      for (const { flag, isOn, msgnums: nums } of asked) {
        if (typeof flag === 'string') {
          for (const n of nums) v[flag] = isOn ? ranges.add(v[flag], n) : ranges.remove(v[flag], n);
          continue;
        }
        let cur = keywordRanges(v.keywords, flag.keyword);
        for (const n of nums) cur = isOn ? ranges.add(cur, n) : ranges.remove(cur, n);
        // a computed key defines an own property even for "__proto__"; assignment would not
        v.keywords = { ...v.keywords, [flag.keyword]: cur };
        if (!cur.length) delete v.keywords[flag.keyword];
      }
      v.modseq = store.next('modseq');
      store.dbs.journal.putSync(v.modseq, { roomnum, msgnum: asked[0]!.msgnums[0]!, kind: 'flags', usernum });
      return v;
    });
    return v.modseq;
  };

  const visits = {
    updateInTxn,

    /** The user's visit record for a room (an empty one if never visited); read-only, shared. */
    get(usernum: number, roomnum: number): Readonly<VisitRecord> {
      return cache.get([usernum, roomnum]) ?? emptyVisit();
    },

    /** The user's visit record for a room, if any; read-only, shared. */
    find(usernum: number, roomnum: number): Readonly<VisitRecord> | undefined {
      return cache.get([usernum, roomnum]);
    },

    /**
     * SLRP semantics (protocol/ §SLRP): set the last-seen pointer to n and mark 1..n seen.
     * It never un-reads: messages above n that were marked seen elsewhere stay seen.
     */
    async setLastSeen(actor: Actor, roomnum: number, n: number): Promise<number> {
      const usernum = usernumOf(actor);
      const v = await store.write(() => updateInTxn(usernum, roomnum, (v) => {
        v.lastSeen = n;
        if (n > 0) v.seen = ranges.add(v.seen, 1, n);
        v.modseq = store.next('modseq');
        return v;
      }));
      ctx.events.emit('flags', { usernum, roomnum, msgnums: [], modseq: v.modseq });
      return n;
    },

    /** Remember that the user has seen a room's info text (native GOTO's "info changed" field). */
    async markInfoSeen(actor: Actor, roomnum: number): Promise<void> {
      const usernum = usernumOf(actor);
      await store.write(() => updateInTxn(usernum, roomnum, (v) => ({ ...v, infoSeen: Date.now() })));
    },

    /**
     * Add or remove a flag (or keyword) on messages for this user; durable on resolve.
     * Fires a 'flags' event. Access to the room is the caller's (core's) check.
     */
    async setFlag(actor: Actor, roomnum: number, msgnums: number[], flag: FlagName | { keyword: string }, isOn: boolean): Promise<number> {
      return visits.setFlags(actor, roomnum, [{ flag, isOn, msgnums }]);
    },

    /**
     * Several flag changes (one IMAP STORE) in one durable write, under one modseq
     * and one 'flags' event: each commit waits for the disk, so a command pays for one.
     * Returns the new modseq, or 0 when nothing was asked.
     */
    async setFlags(actor: Actor, roomnum: number, changes: FlagChange[]): Promise<number> {
      const usernum = usernumOf(actor);
      // nothing to change (a STORE of flags the messages already have) waits for no commit
      if (!changes.some((c) => c.msgnums.length > 0)) return 0;
      const modseq = await store.write(() => changeFlagsInTxn(usernum, roomnum, changes));
      if (modseq) ctx.events.emit('flags', { usernum, roomnum, msgnums: [...new Set(changes.flatMap((c) => c.msgnums))], modseq });
      return modseq;
    },

    changeFlagsInTxn,

    /**
     * Give copies the flags the user had on the originals (IMAP COPY keeps them), inside the
     * copy's own write. Returns the new modseq of the target room's record, 0 when none were set.
     */
    carryFlagsInTxn(usernum: number, from: number, to: number, copies: { msgnum: number; newMsgnum: number }[]): number {
      const source = dbs.visits.get([usernum, from]);
      if (!source) return 0;
      const changes = new Map<string, FlagChange>();
      for (const { msgnum, newMsgnum } of copies) {
        const f = flagsOf(source, msgnum);
        const all: Array<FlagName | { keyword: string }> = [...f.system, ...f.keywords.map((keyword) => ({ keyword }))];
        for (const flag of all) {
          const key = typeof flag === 'string' ? flag : `kw:${flag.keyword}`;
          let c = changes.get(key);
          if (!c) changes.set(key, (c = { flag, isOn: true, msgnums: [] }));
          c.msgnums.push(newMsgnum);
        }
      }
      return changeFlagsInTxn(usernum, to, [...changes.values()]);
    },

    /**
     * Messages left a room (EXPUNGE, MOVE, a native delete): clear the user's own flags and
     * keywords on them, so one placed there again (a restore) does not come back \Deleted, and
     * trim every set that touched them to start and end at messages still in the room. Without
     * the trim a busy mailbox's record kept a range for each message it ever held (tens of
     * kilobytes under imaptest's stress mode, decoded and encoded again on every STORE). The
     * seen set is trimmed but never split, so reading everything and deleting some keeps one range.
     */
    forgetOwnFlagsInTxn(usernum: number, roomnum: number, msgnums: number[]): void {
      const cur = dbs.visits.get([usernum, roomnum]);
      if (!cur || msgnums.length === 0) return;
      const gone = [...msgnums].sort((x, y) => x - y);
      const next: VisitRecord = { ...cur, keywords: { ...cur.keywords } };
      let isChanged = false;
      const tidy = (r: Ranges, isOwn: boolean): Ranges => {
        let out = r;
        if (isOwn) for (const n of gone) if (ranges.has(out, n)) out = ranges.remove(out, n);
        out = trimToPlaced(roomnum, out, gone);
        if (out !== r) isChanged = true;
        return out;
      };
      next.seen = tidy(next.seen, false);
      for (const f of OWN_FLAGS) next[f] = tidy(next[f], true);
      for (const k of Object.keys(next.keywords)) {
        const r = tidy(next.keywords[k]!, true);
        if (r.length) next.keywords[k] = r;
        else delete next.keywords[k];
      }
      if (isChanged) dbs.visits.putSync([usernum, roomnum], next);
    },
  };
  return visits;
}

export type Visits = ReturnType<typeof createVisits>;
