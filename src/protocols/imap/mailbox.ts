// The selected mailbox as one session sees it (RFC 3501 §5.2, §7.4.1): the sequence number →
// message map, each message's UID (its placement number in the room), the flag snapshot last
// reported, \Recent, the keywords announced in FLAGS, and changes from core events waiting to
// be told. Inside the view a message is its message number (flags, events and the cache key on
// it); UIDs are what the wire sees. EXPUNGE may only be reported between commands (or in IDLE),
// so removals wait here.
import { flagsOf, type Core, type Actor, type Room } from '../../core/index.ts';
import { STAR, isSavedSet, type SeqSet } from './parser.ts';
import { astr, flagList, seqSetString } from './render.ts';
import type { ModseqIndex } from './modseq.ts';
import { RecentIndex } from './recent.ts';
import { SearchUpdates } from './search-updates.ts';

type VisitRecord = ReturnType<Core['visits']['get']>;

const SYSTEM_FLAGS = '\\Answered \\Flagged \\Deleted \\Seen \\Draft';

export class SelectedMailbox {
  /** message numbers by sequence number - 1 */
  nums: number[] = [];
  /** their UIDs, parallel to `nums` and ascending */
  uids: number[] = [];
  visit: VisitRecord;
  private readonly uidByNum = new Map<number, number>();
  private expunged = new Set<number>();
  private added: { msgnum: number; uid: number }[] = [];
  private dirty = new Set<number>();
  private isAllDirty = false;
  private readonly unsubscribe: () => void;
  /** placement modseqs, read once per message (a placement never changes) */
  private readonly placed = new Map<number, number>();
  /** UIDs that are \Recent in this session */
  private readonly recentUids = new Set<number>();
  /** keywords the client has been told in * FLAGS (RFC 3501 §7.2.6: before any FETCH uses them) */
  private readonly announced = new Set<string>();
  /**
   * Not even the user's own flags may change (EXAMINE). A room the user may not post in is
   * selected read-only but keeps per-user flags, like a newsreader's .newsrc (RFC 3501 §6.3.1).
   */
  isExamine = false;
  /** CONDSTORE is on for the session: flag updates carry MODSEQ */
  isCondstore = false;
  /** QRESYNC is on: removals are reported as VANISHED UID sets, not EXPUNGE */
  isQresync = false;
  /**
   * `$`: the message numbers the last SEARCH RETURN (SAVE) kept (RFC 5182). A new selection
   * starts empty, and an expunged message drops out because it leaves the view.
   */
  saved = new Set<number>();
  /** SEARCH RETURN (UPDATE) contexts of this selection (RFC 5267 §4.3) */
  readonly searches = new SearchUpdates();
  /** messages whose flags changed or that arrived since the last updates(): the searches look at these again */
  private readonly touched = new Set<number>();

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
    private readonly recent: RecentIndex = new RecentIndex(),
    /**
     * IMAP4rev2 (RFC 9051) has no \Recent: the view does not show it, but still takes it as a
     * rev1 session would, so a message this session was told of is not \Recent elsewhere
     */
    private readonly isRev2 = false,
  ) {
    for (const p of core.messages.placements(actor, room.roomnum)) this.push(p.msgnum, p.uid);
    this.visit = core.visits.get(actor.usernum, room.roomnum);
    for (const k of Object.keys(this.visit.keywords)) this.announced.add(k);
    // a read-only view shows \Recent without taking it from the next read-write session
    const initial = isReadOnly ? this.recent.peek(actor.usernum, room.roomnum, this.uids) : this.recent.claim(actor.usernum, room.roomnum, this.uids);
    for (const u of initial) this.recentUids.add(u);
    modseqs.watch(actor.usernum, room.roomnum);
    const roomnum = room.roomnum;
    const onPlaced = (e: { roomnum: number; msgnum: number; uid: number }) => {
      if (e.roomnum !== roomnum) return;
      this.expunged.delete(e.msgnum);
      this.added.push({ msgnum: e.msgnum, uid: e.uid });
      onChange();
    };
    const onRemoved = (e: { roomnum: number; msgnum: number }) => {
      if (e.roomnum !== roomnum) return;
      const i = this.added.findIndex((a) => a.msgnum === e.msgnum);
      if (i >= 0) this.added.splice(i, 1);
      else this.expunged.add(e.msgnum);
      onChange();
    };
    const onFlags = (e: { usernum: number; roomnum: number; msgnums: number[] }) => {
      if (e.roomnum !== roomnum || e.usernum !== actor.usernum) return;
      if (e.msgnums.length === 0) this.isAllDirty = true;
      for (const n of e.msgnums) {
        this.dirty.add(n);
        this.touched.add(n);
      }
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
    return this.nums.length;
  }

  get recentCount(): number {
    return this.recentUids.size;
  }

  get uidNext(): number {
    return Math.max(this.core.messages.uidNext(this.actor, this.room.roomnum), (this.uids.at(-1) ?? 0) + 1);
  }

  /** The UID of a message in the view (0 when it is not). */
  uidOf(msgnum: number): number {
    return this.uidByNum.get(msgnum) ?? 0;
  }

  /** Sequence number of a message, or 0 when it is not in the view. */
  seqOf(msgnum: number): number {
    const uid = this.uidByNum.get(msgnum);
    if (uid === undefined) return 0;
    const i = this.lowerBound(uid);
    return this.uids[i] === uid ? i + 1 : 0;
  }

  /** MODSEQ of a message for this user (RFC 7162 §3.1.1). */
  modseq(msgnum: number): number {
    let p = this.placed.get(msgnum);
    if (p === undefined) {
      p = this.core.messages.placement(this.actor, this.room.roomnum, msgnum)?.modseq ?? 0;
      this.placed.set(msgnum, p);
    }
    return Math.max(p, this.modseqs.flagModseq(this.actor.usernum, this.room.roomnum, msgnum), 1);
  }

  highestModseq(): number {
    return this.modseqs.highest(this.actor.usernum, this.room.roomnum);
  }

  isExpunged(msgnum: number): boolean {
    return this.expunged.has(msgnum);
  }

  isRecent(msgnum: number): boolean {
    return !this.isRev2 && this.recentUids.has(this.uidOf(msgnum));
  }

  /** The message's flags as the client sees them: the user's, \Recent for this session. */
  flags(msgnum: number): { system: string[]; keywords: string[] } {
    const f = flagsOf(this.visit, msgnum);
    return this.isRecent(msgnum) ? { system: ['recent', ...f.system], keywords: f.keywords } : f;
  }

  /** * FLAGS and PERMANENTFLAGS: the system flags and every keyword announced so far. */
  flagLines(): string[] {
    const kws = [...this.announced].map(astr).join(' ');
    const all = kws ? `${SYSTEM_FLAGS} ${kws}` : SYSTEM_FLAGS;
    return [`* FLAGS (${all})\r\n`, `* OK [PERMANENTFLAGS ${this.isExamine ? '()' : `(${all} \\*)`}] Flags permitted\r\n`];
  }

  /** Lines that announce keywords the client was not told yet; send them before a FETCH uses them. */
  announce(keywords: Iterable<string>): string[] {
    let isNew = false;
    for (const k of keywords) {
      if (this.announced.has(k)) continue;
      this.announced.add(k);
      isNew = true;
    }
    return isNew ? this.flagLines() : [];
  }

  /** Re-read the flag snapshot (after this session changed flags itself). */
  refreshVisit(): void {
    this.visit = this.core.visits.get(this.actor.usernum, this.room.roomnum);
  }

  /** Messages addressed by a sequence set (or UID set), in sequence order and in the view. */
  resolve(set: SeqSet, isUid: boolean): number[] {
    if (isSavedSet(set)) return this.nums.filter((n) => this.saved.has(n));
    const n = this.uids.length;
    if (n === 0) return [];
    const seqs = new Set<number>();
    const maxUid = this.uids[n - 1]!;
    for (const r of set) {
      if (isUid) {
        const a0 = r.from === STAR ? maxUid : r.from;
        const b0 = r.to === STAR ? maxUid : r.to;
        const [a, b] = a0 <= b0 ? [a0, b0] : [b0, a0];
        for (let i = this.lowerBound(a); i < n && this.uids[i]! <= b; i++) seqs.add(i);
      } else {
        const a0 = r.from === STAR ? n : r.from;
        const b0 = r.to === STAR ? n : r.to;
        const [a, b] = a0 <= b0 ? [a0, b0] : [b0, a0];
        for (let s = Math.max(1, a); s <= Math.min(b, n); s++) seqs.add(s - 1);
      }
    }
    return [...seqs].sort((x, y) => x - y).map((i) => this.nums[i]!);
  }

  /** True when a plain sequence set names a message beyond the mailbox (BAD per RFC 3501 §9). */
  isOutOfRange(set: SeqSet): boolean {
    const n = this.uids.length;
    return set.some((r) => (r.from !== STAR && r.from > n) || (r.to !== STAR && r.to > n)) && !set.every((r) => r.from === STAR || r.to === STAR);
  }

  private push(msgnum: number, uid: number): void {
    this.nums.push(msgnum);
    this.uids.push(uid);
    this.uidByNum.set(msgnum, uid);
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
    // appended one by one: spread into push(), an update of 120,000-odd lines overflowed the stack
    const add = (more: string[]) => { for (const l of more) lines.push(l); };
    if (mayExpunge && this.expunged.size) {
      add(this.searches.beforeExpunge(this.expunged, this.idOf));
      add(this.expungeLines());
    }
    if (this.added.length) add(this.existsLines());
    if (this.isAllDirty || this.dirty.size) add(this.flagUpdates());
    if (this.touched.size) {
      add(this.searches.refresh(this.touched, this.idOf));
      this.touched.clear();
    }
    return lines;
  }

  private expungeLines(): string[] {
    const lines: string[] = [];
    const gone = [...this.expunged].map((n) => this.seqOf(n)).filter((s) => s > 0).sort((a, b) => b - a);
    const vanished: number[] = [];
    for (const seq of gone) {
      const uid = this.uids[seq - 1]!;
      vanished.push(uid);
      this.uidByNum.delete(this.nums[seq - 1]!);
      this.nums.splice(seq - 1, 1);
      this.uids.splice(seq - 1, 1);
      this.recentUids.delete(uid);
      if (!this.isQresync) lines.push(`* ${seq} EXPUNGE\r\n`);
    }
    if (this.isQresync && vanished.length) lines.push(`* VANISHED ${seqSetString(vanished)}\r\n`);
    this.expunged.clear();
    return lines;
  }

  /** New placements always number above the room's earlier ones, so they go at the end. */
  private existsLines(): string[] {
    const fresh = this.added.filter((a) => !this.uidByNum.has(a.msgnum) && a.uid > (this.uids.at(-1) ?? 0)).sort((a, b) => a.uid - b.uid);
    this.added = [];
    if (fresh.length === 0) return [];
    for (const a of fresh) {
      this.push(a.msgnum, a.uid);
      this.touched.add(a.msgnum);
    }
    const lines = [`* ${this.uids.length} EXISTS\r\n`];
    if (!this.isReadOnly) for (const u of this.recent.claim(this.actor.usernum, this.room.roomnum, fresh.map((a) => a.uid))) this.recentUids.add(u);
    if (!this.isRev2) lines.push(`* ${this.recentUids.size} RECENT\r\n`);
    return lines;
  }

  private flagUpdates(): string[] {
    const before = this.visit;
    this.refreshVisit();
    if (this.isAllDirty) this.collectChanged(before);
    const candidates = [...this.dirty].filter((n) => this.seqOf(n) > 0).sort((a, b) => this.seqOf(a) - this.seqOf(b));
    this.dirty.clear();
    const lines = this.announce(candidates.flatMap((n) => flagsOf(this.visit, n).keywords));
    // a message named by a flags event is reported even if its flags look unchanged: telling
    // the current flags twice is harmless, missing a change is not
    for (const n of candidates) lines.push(`* ${this.seqOf(n)} FETCH (UID ${this.uidOf(n)} ${this.isCondstore ? `MODSEQ (${this.modseq(n)}) ` : ''}FLAGS ${flagList(this.flags(n))})\r\n`);
    return lines;
  }

  /** After an event without msgnums (SLRP), the messages whose flags differ from `before`. */
  private collectChanged(before: VisitRecord): void {
    for (const n of this.nums) {
      const was = flagsOf(before, n);
      const now = flagsOf(this.visit, n);
      if (was.system.join() !== now.system.join() || was.keywords.join() !== now.keywords.join()) {
        this.dirty.add(n);
        this.touched.add(n);
      }
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
    for (const n of own) {
      this.dirty.delete(n);
      this.touched.add(n);
    }
  }

  private readonly idOf = (msgnum: number, isUid: boolean): number => (isUid ? this.uidOf(msgnum) : this.seqOf(msgnum));
}

