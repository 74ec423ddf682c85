// The selected mailbox as one session sees it (RFC 3501 §5.2, §7.4.1): the sequence-number →
// UID map, the flag snapshot last reported, and changes from core events waiting to be told.
// EXPUNGE may only be reported between commands (or in IDLE), so removals wait here.
import { flagsOf, type Core, type Actor, type Room } from '../../core/index.ts';
import { STAR, type SeqSet } from './parser.ts';
import { flagList, seqSetString } from './render.ts';
import type { ModseqIndex } from './modseq.ts';

type VisitRecord = ReturnType<Core['visits']['get']>;

export class SelectedMailbox {
  /** UIDs (message numbers) by sequence number - 1, ascending */
  uids: number[];
  visit: VisitRecord;
  private expunged = new Set<number>();
  private added: number[] = [];
  private dirty = new Set<number>();
  private isAllDirty = false;
  private readonly unsubscribe: () => void;
  /** placement modseqs, read once per message (a placement never changes) */
  private readonly placed = new Map<number, number>();
  /**
   * Not even the user's own flags may change (EXAMINE). A room the user may not post in is
   * selected read-only but keeps per-user flags, like a newsreader's .newsrc (RFC 3501 §6.3.1).
   */
  isExamine = false;
  /** CONDSTORE is on for the session: flag updates carry MODSEQ */
  isCondstore = false;
  /** QRESYNC is on: removals are reported as VANISHED UID sets, not EXPUNGE */
  isQresync = false;

  constructor(
    private readonly core: Core,
    private readonly actor: Actor & { kind: 'user' },
    readonly room: Room,
    readonly name: string,
    /** the room's content may not change here (EXAMINE, or a room the user may not post in) */
    readonly isReadOnly: boolean,
    /** called when something arrived for this mailbox (an idling session flushes at once) */
    onChange: () => void,
    private readonly modseqs: ModseqIndex,
  ) {
    this.uids = core.messages.list(actor, room.roomnum);
    this.visit = core.visits.get(actor.usernum, room.roomnum);
    modseqs.watch(actor.usernum, room.roomnum);
    const roomnum = room.roomnum;
    const onPlaced = (e: { roomnum: number; msgnum: number }) => {
      if (e.roomnum !== roomnum) return;
      this.expunged.delete(e.msgnum);
      this.added.push(e.msgnum);
      onChange();
    };
    const onRemoved = (e: { roomnum: number; msgnum: number }) => {
      if (e.roomnum !== roomnum) return;
      const i = this.added.indexOf(e.msgnum);
      if (i >= 0) this.added.splice(i, 1);
      else this.expunged.add(e.msgnum);
      onChange();
    };
    const onFlags = (e: { usernum: number; roomnum: number; msgnums: number[] }) => {
      if (e.roomnum !== roomnum || e.usernum !== actor.usernum) return;
      if (e.msgnums.length === 0) this.isAllDirty = true;
      for (const n of e.msgnums) this.dirty.add(n);
      onChange();
    };
    core.events.on('placed', onPlaced);
    core.events.on('removed', onRemoved);
    core.events.on('flags', onFlags);
    this.unsubscribe = () => {
      core.events.off('placed', onPlaced);
      core.events.off('removed', onRemoved);
      core.events.off('flags', onFlags);
    };
  }

  close(): void {
    this.unsubscribe();
  }

  get exists(): number {
    return this.uids.length;
  }

  get uidNext(): number {
    return Math.max(this.core.rooms.get(this.actor, this.room.roomnum).highest, this.uids.at(-1) ?? 0) + 1;
  }

  /** Sequence number of a UID, or 0 when it is not in the view. */
  seqOf(uid: number): number {
    let lo = 0;
    let hi = this.uids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.uids[mid]!;
      if (v === uid) return mid + 1;
      if (v < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** MODSEQ of a message for this user (RFC 7162 §3.1.1). */
  modseq(uid: number): number {
    let p = this.placed.get(uid);
    if (p === undefined) {
      p = this.core.messages.placement(this.room.roomnum, uid)?.modseq ?? 0;
      this.placed.set(uid, p);
    }
    return Math.max(p, this.modseqs.flagModseq(this.actor.usernum, this.room.roomnum, uid), 1);
  }

  highestModseq(): number {
    return this.modseqs.highest(this.actor.usernum, this.room.roomnum);
  }

  isExpunged(uid: number): boolean {
    return this.expunged.has(uid);
  }

  flags(uid: number) {
    return flagsOf(this.visit, uid);
  }

  /** Re-read the flag snapshot (after this session changed flags itself). */
  refreshVisit(): void {
    this.visit = this.core.visits.get(this.actor.usernum, this.room.roomnum);
  }

  /** UIDs addressed by a sequence set (or UID set), ascending and in the view. */
  resolve(set: SeqSet, isUid: boolean): number[] {
    const n = this.uids.length;
    if (n === 0) return [];
    const out = new Set<number>();
    const maxUid = this.uids[n - 1]!;
    for (const r of set) {
      if (isUid) {
        const a0 = r.from === STAR ? maxUid : r.from;
        const b0 = r.to === STAR ? maxUid : r.to;
        const [a, b] = a0 <= b0 ? [a0, b0] : [b0, a0];
        for (let i = this.lowerBound(a); i < n && this.uids[i]! <= b; i++) out.add(this.uids[i]!);
      } else {
        const a0 = r.from === STAR ? n : r.from;
        const b0 = r.to === STAR ? n : r.to;
        const [a, b] = a0 <= b0 ? [a0, b0] : [b0, a0];
        for (let s = Math.max(1, a); s <= Math.min(b, n); s++) out.add(this.uids[s - 1]!);
      }
    }
    return [...out].sort((x, y) => x - y);
  }

  /** True when a plain sequence set names a message beyond the mailbox (BAD per RFC 3501 §9). */
  isOutOfRange(set: SeqSet): boolean {
    const n = this.uids.length;
    return set.some((r) => (r.from !== STAR && r.from > n) || (r.to !== STAR && r.to > n)) && !set.every((r) => r.from === STAR || r.to === STAR);
  }

  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.uids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.uids[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Untagged updates that may be sent now: flag changes and new messages always; EXPUNGE
   * only when `mayExpunge` (not during FETCH, STORE or SEARCH; RFC 3501 §7.4.1).
   */
  updates(mayExpunge: boolean): string[] {
    const lines: string[] = [];
    if (mayExpunge && this.expunged.size) {
      const gone = [...this.expunged].map((u) => this.seqOf(u)).filter((s) => s > 0).sort((a, b) => b - a);
      const vanished = gone.map((seq) => this.uids[seq - 1]!);
      for (const seq of gone) {
        this.uids.splice(seq - 1, 1);
        if (!this.isQresync) lines.push(`* ${seq} EXPUNGE\r\n`);
      }
      if (this.isQresync && vanished.length) lines.push(`* VANISHED ${seqSetString(vanished)}\r\n`);
      this.expunged.clear();
    }
    if (this.added.length) {
      const fresh = this.added.filter((u) => this.seqOf(u) === 0);
      this.added = [];
      // New messages get new (higher) numbers. A copy or move of an older message keeps its
      // number, which is below UIDs the client already has: inserting it would shift sequence
      // numbers under the client's feet, so this session sees it after the next SELECT.
      let isGrown = false;
      for (const u of fresh.sort((a, b) => a - b)) {
        if (u <= (this.uids.at(-1) ?? 0)) continue;
        this.uids.push(u);
        isGrown = true;
      }
      if (isGrown) lines.push(`* ${this.uids.length} EXISTS\r\n`);
    }
    if (this.isAllDirty || this.dirty.size) lines.push(...this.flagUpdates());
    return lines;
  }

  private flagUpdates(): string[] {
    const before = this.visit;
    this.refreshVisit();
    if (this.isAllDirty) this.collectChanged(before);
    const candidates = [...this.dirty].filter((u) => this.seqOf(u) > 0).sort((a, b) => a - b);
    this.dirty.clear();
    // a message named by a flags event is reported even if its flags look unchanged: telling
    // the current flags twice is harmless, missing a change is not
    return candidates.map((uid) => `* ${this.seqOf(uid)} FETCH (UID ${uid} ${this.isCondstore ? `MODSEQ (${this.modseq(uid)}) ` : ''}FLAGS ${flagList(this.flags(uid))})\r\n`);
  }

  /** After an event without msgnums (SLRP), the messages whose flags differ from `before`. */
  private collectChanged(before: VisitRecord): void {
    for (const uid of this.uids) {
      const was = flagsOf(before, uid);
      const now = flagsOf(this.visit, uid);
      if (was.system.join() !== now.system.join() || was.keywords.join() !== now.keywords.join()) this.dirty.add(uid);
    }
    this.isAllDirty = false;
  }

  /**
   * This session changed flags of `own` and reports them itself: take the new flags, and keep
   * other sessions' pending changes to report later.
   */
  absorbOwnFlags(own: Iterable<number>): void {
    const before = this.visit;
    this.refreshVisit();
    if (this.isAllDirty) this.collectChanged(before);
    for (const u of own) this.dirty.delete(u);
  }
}
