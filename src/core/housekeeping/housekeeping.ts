// The soft-delete window: an aide restores a deleted message or room within it; afterwards a
// periodic purge removes them for good. Both are audited.
import type { MessageRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { isAide, systemActor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Messages } from '../messages/messages.ts';
import { placeInTxn, uidNextKey, unplaceInTxn, type Placed } from '../messages/place.ts';
import { nameKey } from '../rooms/room.ts';
import { pruneHourly } from '../policy/hourly.ts';

export function createHousekeeping(ctx: Ctx, deps: { audit: Audit; messages: Messages }) {
  const { store } = ctx;
  const { dbs } = store;
  let timer: NodeJS.Timeout | undefined;
  /** where the last pass over the hourly counts stopped */
  let hourlyFrom: string | undefined;

  const isLiveRoom = (roomnum: number) => {
    const r = dbs.rooms.get(roomnum);
    return r !== undefined && !r.deletedAt;
  };

  /** Soft-deleted rooms older than the window: their placements go, then the room itself. */
  const purgeRooms = async (now: number): Promise<number> => {
    const due = [...dbs.rooms.getRange()].filter(({ value }) => value.deletedAt && now - value.deletedAt >= ctx.settings.softDeleteMs).map(({ value }) => value);
    for (const room of due) {
      const removed = await store.write(() => {
        const out: Placed[] = [];
        for (const key of dbs.roomLists.getKeys({ start: [room.roomnum, 0], end: [room.roomnum, Number.MAX_SAFE_INTEGER] })) {
          const p = unplaceInTxn(ctx, room.roomnum, (key as [number, number])[1]);
          if (p) out.push(p);
        }
        for (const key of [...dbs.visits.getKeys()].filter((k) => (k as [number, number])[1] === room.roomnum)) dbs.visits.removeSync(key);
        const owner = room.kind === 'mailbox' || room.kind === 'direct' ? room.owners[0] : undefined;
        if (dbs.roomNames.get(nameKey(room.name, owner)) === room.roomnum) dbs.roomNames.removeSync(nameKey(room.name, owner));
        dbs.rooms.removeSync(room.roomnum);
        dbs.meta.removeSync(uidNextKey(room.roomnum));
        deps.audit.recordInTxn(systemActor('purge'), 'room.purge', room.name, { roomnum: room.roomnum, messages: out.length });
        return out;
      });
      for (const p of removed) ctx.events.emit('removed', p);
    }
    return due.length;
  };

  const housekeeping = {
    /**
     * Put a deleted message back into the rooms it was deleted from (those that still exist)
     * within the soft-delete window. Aides; audited; fires 'placed'.
     */
    async restoreMessage(actor: Actor, msgnum: number): Promise<number[]> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required to restore messages.');
      const placed = await store.write(() => {
        const m = dbs.messages.get(msgnum) as MessageRecord | undefined;
        const rooms = (m?.removedFrom ?? []).filter(isLiveRoom);
        if (!m || rooms.length === 0) throw new CoreError('not-found', `No deleted message ${msgnum} to restore.`);
        const out = rooms.map((r) => placeInTxn(ctx, r, msgnum)).filter((p): p is Placed => p !== undefined);
        deps.audit.recordInTxn(actor, 'message.restore', String(msgnum), { rooms: out.map((p) => p.roomnum) });
        return out;
      });
      for (const p of placed) ctx.events.emit('placed', p);
      return placed.map((p) => p.roomnum);
    },

    /** Soft-deleted rooms that can still be restored, with when they were deleted. Aides. */
    deletedRooms(actor: Actor): { roomnum: number; name: string; kind: string; deletedAt: number; purgeAt: number }[] {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      return [...dbs.rooms.getRange()]
        .filter(({ value }) => value.deletedAt !== undefined)
        .map(({ value: r }) => ({ roomnum: r.roomnum, name: r.name, kind: r.kind, deletedAt: r.deletedAt!, purgeAt: r.deletedAt! + ctx.settings.softDeleteMs }));
    },

    /** Purge what has been deleted longer than the window; returns counts. */
    async purge(now = Date.now()): Promise<{ rooms: number; messages: number }> {
      const rooms = await purgeRooms(now);
      const messages = await deps.messages.purge(systemActor('purge'), now);
      if (rooms || messages) ctx.log.info({ rooms, messages }, 'purged deleted rooms and messages past the soft-delete window');
      return { rooms, messages };
    },

    /** Remove stored hourly counts (registrations, Internet recipients) with nothing left in the hour. */
    async pruneHourly(now = Date.now()): Promise<number> {
      const { removed, from } = await pruneHourly(store, now, hourlyFrom !== undefined ? { from: hourlyFrom } : {});
      hourlyFrom = from;
      if (removed) ctx.log.info({ removed }, 'pruned expired hourly counts');
      return removed;
    },

    /** Run the purge and the hourly counts' pruning every interval (the worker calls this once). */
    start(intervalMs = 3600_000): void {
      timer = setInterval(() => {
        housekeeping.purge().catch((err: unknown) => ctx.log.error({ err }, 'purge failed'))
          .then(() => housekeeping.pruneHourly())
          .catch((err: unknown) => ctx.log.error({ err }, 'pruning hourly counts failed'));
      }, intervalMs);
      timer.unref();
    },

    stop(): void {
      if (timer) clearInterval(timer);
    },
  };
  return housekeeping;
}

export type Housekeeping = ReturnType<typeof createHousekeeping>;
