// Store invariants (keepd check): reports problems without changing anything; repair fixes
// what can be fixed, in one audited transaction.
import type { Actor } from '../actor.ts';
import { recountRoomInTxn, roomCountErrors } from '../../store/index.ts';
import { isAide } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import { roomBytesKey } from '../messages/place.ts';

export interface Problem {
  kind: string;
  detail: string;
  /** a fix that repair() applies inside its transaction */
  fix?: () => void;
}

export interface CheckReport {
  problems: { kind: string; detail: string; isFixable: boolean }[];
  counts: { users: number; rooms: number; messages: number; placements: number; visits: number; queue: number };
}

export function createCheck(ctx: Ctx, deps: { audit: Audit }) {
  const { store } = ctx;
  const { dbs } = store;

  function findProblems(): { problems: Problem[]; counts: CheckReport['counts'] } {
    const problems: Problem[] = [];
    const refs = new Map<number, number>();
    const bytes = new Map<number, number>();
    let placements = 0;
    let maxMsg = 0;
    for (const key of dbs.roomLists.getKeys()) {
      const [roomnum, msgnum] = key as [number, number];
      placements++;
      maxMsg = Math.max(maxMsg, msgnum);
      const msg = dbs.messages.get(msgnum);
      if (!msg) {
        // removing a placement keeps its room's count and byte sum, as unplacing does
        problems.push({ kind: 'placement-without-message', detail: `room ${roomnum} lists missing message ${msgnum}`, fix: () => { dbs.roomLists.removeSync([roomnum, msgnum]); recountRoomInTxn(dbs, roomnum); dbs.meta.removeSync(roomBytesKey(roomnum)); } });
        continue;
      }
      bytes.set(roomnum, (bytes.get(roomnum) ?? 0) + msg.size);
      if (!dbs.rooms.get(roomnum)) problems.push({ kind: 'placement-without-room', detail: `message ${msgnum} placed in missing room ${roomnum}`, fix: () => dbs.roomLists.removeSync([roomnum, msgnum]) });
      refs.set(msgnum, (refs.get(msgnum) ?? 0) + 1);
    }
    let queue = 0;
    for (const { key, value } of dbs.queue.getRange()) {
      queue++;
      if (!dbs.messages.get(value.msgnum)) {
        problems.push({ kind: 'queue-without-message', detail: `queue entry for ${value.recipient} names missing message ${value.msgnum}`, fix: () => dbs.queue.removeSync(key) });
      } else refs.set(value.msgnum, (refs.get(value.msgnum) ?? 0) + 1);
    }
    let messages = 0;
    for (const { key: msgnum, value: m } of dbs.messages.getRange()) {
      messages++;
      maxMsg = Math.max(maxMsg, msgnum);
      const actual = refs.get(msgnum) ?? 0;
      if (actual === 0 && !m.deletedAt) {
        problems.push({ kind: 'message-without-placement', detail: `message ${msgnum} has no placement`, fix: () => dbs.messages.putSync(msgnum, { ...m, refcount: 0, deletedAt: Date.now() }) });
      } else if (m.refcount !== actual) {
        problems.push({ kind: 'refcount', detail: `message ${msgnum} counts ${m.refcount} references, has ${actual}`, fix: () => dbs.messages.putSync(msgnum, { ...m, refcount: actual }) });
      }
      if (!dbs.bodies.get(msgnum)) problems.push({ kind: 'message-without-body', detail: `message ${msgnum} has no stored bytes` });
    }
    let maxUser = 0;
    for (const usernum of dbs.users.getKeys()) maxUser = Math.max(maxUser, usernum as number);
    let maxRoom = 0;
    for (const roomnum of dbs.rooms.getKeys()) maxRoom = Math.max(maxRoom, roomnum as number);
    let visits = 0;
    for (const key of dbs.visits.getKeys()) {
      visits++;
      const [usernum, roomnum] = key as [number, number];
      if (!dbs.rooms.get(roomnum) || !dbs.users.get(usernum)) {
        problems.push({ kind: 'visit-dangling', detail: `visit of user ${usernum} names missing room or user (room ${roomnum})`, fix: () => dbs.visits.removeSync([usernum, roomnum]) });
      }
    }
    for (const { key, value } of dbs.userNames.getRange()) {
      if (!dbs.users.get(value)) problems.push({ kind: 'name-dangling', detail: `user name '${key}' names missing user ${value}`, fix: () => dbs.userNames.removeSync(key) });
    }
    for (const { key, value } of dbs.roomNames.getRange()) {
      if (!dbs.rooms.get(value)) problems.push({ kind: 'name-dangling', detail: `room name '${key}' names missing room ${value}`, fix: () => dbs.roomNames.removeSync(key) });
    }
    // the byte sums quotas add up (messages/place.ts); a wrong one is dropped and summed afresh
    for (const { key, value: r } of dbs.rooms.getRange()) {
      const stored = dbs.meta.get(roomBytesKey(key));
      if (r.kind !== 'mailbox' || typeof stored !== 'number' || stored === (bytes.get(key) ?? 0)) continue;
      problems.push({ kind: 'room-bytes', detail: `room ${key} sums ${stored} bytes but holds ${bytes.get(key) ?? 0}`, fix: () => dbs.meta.removeSync(roomBytesKey(key)) });
    }
    for (const w of roomCountErrors(dbs)) {
      problems.push({ kind: 'room-count', detail: `room ${w.roomnum} counts ${w.stored} messages but lists ${w.actual}`, fix: () => recountRoomInTxn(dbs, w.roomnum) });
    }
    const c = store.counters();
    let maxModseq = 0;
    for (const k of dbs.journal.getKeys({ reverse: true, limit: 1 })) maxModseq = k as number;
    const counterFix = (name: 'nextMessage' | 'nextUser' | 'nextRoom' | 'modseq', min: number) => {
      if (c[name] <= min) {
        problems.push({ kind: 'counter', detail: `counter ${name} is ${c[name]}, a number up to ${min} is in use`, fix: () => store.raise(name, min + 1) });
      }
    };
    counterFix('nextMessage', maxMsg);
    counterFix('nextUser', maxUser);
    counterFix('nextRoom', maxRoom);
    counterFix('modseq', maxModseq);
    return { problems, counts: { users: dbs.users.getCount(), rooms: dbs.rooms.getCount(), messages, placements, visits, queue } };
  }

  const present = (r: { problems: Problem[]; counts: CheckReport['counts'] }): CheckReport => ({
    problems: r.problems.map((p) => ({ kind: p.kind, detail: p.detail, isFixable: Boolean(p.fix) })),
    counts: r.counts,
  });

  return {
    /** Verify every invariant; read-only. */
    run(): CheckReport {
      return present(findProblems());
    },

    /** Fix what can be fixed in one transaction (aides / system); audited. Returns what was found. */
    async repair(actor: Actor): Promise<CheckReport> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      return store.write(() => {
        const found = findProblems();
        for (const p of found.problems) p.fix?.();
        if (found.problems.length) deps.audit.recordInTxn(actor, 'store.repair', undefined, { fixed: found.problems.filter((p) => p.fix).length });
        return present(found);
      });
    },
  };
}

export type Check = ReturnType<typeof createCheck>;
