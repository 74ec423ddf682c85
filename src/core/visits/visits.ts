// Visits: per user and room, the last-seen pointer, the seen set and the per-user flag sets.
// Read state is shared by every protocol because they all read and write this record.
import { ranges, type Ranges, type VisitRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';

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

/** Flags of one message for one user, as a list of names and keywords. */
export function flagsOf(v: VisitRecord | Visit, msgnum: number): { system: FlagName[]; keywords: string[] } {
  const system: FlagName[] = [];
  for (const f of ['seen', 'answered', 'flagged', 'deleted', 'draft'] as FlagName[]) {
    if (ranges.has(v[f], msgnum)) system.push(f);
  }
  const keywords = Object.entries(v.keywords).filter(([, r]) => ranges.has(r, msgnum)).map(([k]) => k);
  return { system, keywords };
}

export function usernumOf(actor: Actor): number {
  if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
  return actor.usernum;
}

export function createVisits(ctx: Ctx) {
  const { store } = ctx;
  const { dbs } = store;

  /** Read-modify-write one visit record; call inside store.write(). */
  const updateInTxn = (usernum: number, roomnum: number, fn: (v: VisitRecord) => VisitRecord): VisitRecord => {
    const cur = dbs.visits.get([usernum, roomnum]) ?? emptyVisit();
    const next = fn({ ...cur });
    dbs.visits.putSync([usernum, roomnum], next);
    return next;
  };

  const visits = {
    updateInTxn,

    /** The user's visit record for a room (an empty one if never visited). */
    get(usernum: number, roomnum: number): VisitRecord {
      return dbs.visits.get([usernum, roomnum]) ?? emptyVisit();
    },

    find(usernum: number, roomnum: number): VisitRecord | undefined {
      return dbs.visits.get([usernum, roomnum]);
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
     * Several flag changes (one IMAP STORE or EXPUNGE) in one durable write, under one modseq
     * and one 'flags' event: each commit waits for the disk, so a command pays for one.
     * Returns the new modseq, or 0 when nothing was asked.
     */
    async setFlags(actor: Actor, roomnum: number, changes: FlagChange[]): Promise<number> {
      const usernum = usernumOf(actor);
      const asked = changes.filter((c) => c.msgnums.length > 0);
      if (asked.length === 0) return 0;
      const msgnums = [...new Set(asked.flatMap((c) => c.msgnums))];
      const v = await store.write(() => updateInTxn(usernum, roomnum, (v) => {
        for (const { flag, isOn, msgnums: nums } of asked) {
          if (typeof flag === 'string') {
            for (const n of nums) v[flag] = isOn ? ranges.add(v[flag], n) : ranges.remove(v[flag], n);
            continue;
          }
          let cur = v.keywords[flag.keyword] ?? [];
          for (const n of nums) cur = isOn ? ranges.add(cur, n) : ranges.remove(cur, n);
          v.keywords = { ...v.keywords };
          if (cur.length) v.keywords[flag.keyword] = cur;
          else delete v.keywords[flag.keyword];
        }
        v.modseq = store.next('modseq');
        store.dbs.journal.putSync(v.modseq, { roomnum, msgnum: msgnums[0]!, kind: 'flags', usernum });
        return v;
      }));
      ctx.events.emit('flags', { usernum, roomnum, msgnums, modseq: v.modseq });
      return v.modseq;
    },
  };
  return visits;
}

export type Visits = ReturnType<typeof createVisits>;
