// Fan-out: which WebSocket sessions are in which room and belong to which user, and the one
// subscription per core event that turns it into frames. A frame is serialised once and the
// same bytes go to every receiver, so a line to 1,000 chatters costs one JSON.stringify;
// this is why subscriptions live here rather than one listener per session.
import { isCoreError, systemActor, type Core, type Room } from '../../core/index.ts';
import type { CoreEvents } from '../../core/events.ts';
import type { Logger } from '../../log/index.ts';
import type { Metrics } from '../../net/metrics.ts';
import { CLOSE } from './errors.ts';
import { textFrame } from './frames.ts';
import { frame, messageFrame, pageFrame, whoList } from './render.ts';

/** What the hub needs of a session. */
export interface Member {
  readonly cid: number;
  readonly usernum: number;
  readonly loginId: string;
  /** rooms this session has joined: roomnum → name and the highest msgnum its join history sent */
  readonly rooms: Map<number, { name: string; lastSent: number }>;
  /** queue one complete frame (frames.ts) */
  send(data: Buffer): void;
  /** ping if alive since the last round, else drop; returns false when dropped */
  heartbeat(): boolean;
  close(code: number, reason: string): void;
}

/** Most page frames taken for one user in one delivery round (core keeps at most 100). */
const MAX_PAGES_PER_ROUND = 200;
const PRESENCE_DEBOUNCE_MS = 100;

export class Hub {
  private all = new Set<Member>();
  private byRoom = new Map<number, Set<Member>>();
  private byUser = new Map<number, Set<Member>>();
  /** direct rooms' owners and name, so a line reaches an owner who has not joined */
  private directRooms = new Map<number, Room | null>();
  private presenceTimer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout;
  private unsubscribe: () => void;

  constructor(private readonly deps: { core: Core; log: Logger; metrics: Metrics; pingIntervalMs: number }) {
    const { events } = deps.core;
    // a listener's exception would surface in whichever core call emitted the event (a say
    // that has already committed): log it here as the bug it is instead
    const guard = <A extends unknown[]>(name: string, fn: (...a: A) => void) => (...a: A) => {
      try {
        fn(...a);
      } catch (err) {
        deps.log.error({ err, event: name }, 'chat fan-out failed');
      }
    };
    const onChat = guard('chat', (e: CoreEvents['chat'][0]) => this.onChat(e));
    const onTyping = guard('typing', (e: CoreEvents['typing'][0]) => this.onTyping(e));
    const onPresence = guard('presence', () => this.schedulePresence());
    const onPage = guard('page', (e: CoreEvents['page'][0]) => this.deliverPages(e.to));
    const onRoom = guard('room', (e: CoreEvents['room'][0]) => { this.directRooms.delete(e.roomnum); });
    events.on('chat', onChat).on('typing', onTyping).on('presence', onPresence).on('page', onPage).on('room', onRoom);
    this.unsubscribe = () => {
      events.off('chat', onChat).off('typing', onTyping).off('presence', onPresence).off('page', onPage).off('room', onRoom);
    };
    this.pinger = setInterval(() => this.pingAll(), deps.pingIntervalMs);
  }

  add(m: Member): void {
    this.all.add(m);
    setOf(this.byUser, m.usernum).add(m);
  }

  remove(m: Member): void {
    this.all.delete(m);
    for (const roomnum of m.rooms.keys()) this.leave(m, roomnum);
    dropFrom(this.byUser, m.usernum, m);
  }

  join(m: Member, roomnum: number, entry: { name: string; lastSent: number }): void {
    m.rooms.set(roomnum, entry);
    setOf(this.byRoom, roomnum).add(m);
  }

  leave(m: Member, roomnum: number): void {
    m.rooms.delete(roomnum);
    dropFrom(this.byRoom, roomnum, m);
  }

  count(): number {
    return this.all.size;
  }

  /** The current who-is-online frame (sent on connect and after every presence change). */
  presenceFrame(): Buffer {
    return textFrame(frame({ type: 'presence', users: whoList(this.deps.core.presence.list()) }));
  }

  /** Send to every session of a user. */
  toUser(usernum: number, data: Buffer): void {
    for (const m of this.byUser.get(usernum) ?? []) m.send(data);
  }

  /** Close every session of a login (logout or expiry). */
  endLogin(loginId: string, reason: string): void {
    for (const m of [...this.all]) if (m.loginId === loginId) m.close(CLOSE.sessionEnded, reason);
  }

  /** Push waiting instant messages to a user's web sessions; natives fetch theirs with GEXP. */
  deliverPages(usernum: number): void {
    if (!this.byUser.get(usernum)?.size) return;
    for (let i = 0; i < MAX_PAGES_PER_ROUND; i++) {
      const next = this.deps.core.pages.take(usernum);
      if (!next) return;
      this.toUser(usernum, textFrame(pageFrame(next.page)));
    }
  }

  close(reason: string): void {
    clearInterval(this.pinger);
    clearTimeout(this.presenceTimer);
    this.unsubscribe();
    for (const m of [...this.all]) m.close(CLOSE.goingAway, reason);
  }

  private onChat(e: { roomnum: number; msgnum: number; from: string; text: string; time: number }): void {
    const started = performance.now();
    const members = this.byRoom.get(e.roomnum);
    let data: Buffer | undefined;
    let name: string | undefined;
    for (const m of members ?? []) {
      const joined = m.rooms.get(e.roomnum);
      // a line committed just before the join read is in the history already; live lines are
      // emitted once each, so only the history's upper bound needs checking
      if (!joined || e.msgnum <= joined.lastSent) continue;
      if (name !== joined.name) {
        name = joined.name;
        data = textFrame(messageFrame(name, e));
      }
      m.send(data!);
    }
    this.toDirectOwners(e, members);
    const { metrics } = this.deps;
    metrics.inc('keep_ws_fanout_lines_total', 'chat lines fanned out to WebSocket sessions');
    metrics.inc('keep_ws_fanout_frames_total', 'chat line frames queued to WebSocket sessions', {}, members?.size ?? 0);
    metrics.inc('keep_ws_fanout_seconds_total', 'time spent fanning chat lines out (CPU in the worker)', {}, (performance.now() - started) / 1000);
  }

  /** A line in a direct room also reaches its owners' sessions that have not joined it. */
  private toDirectOwners(e: { roomnum: number; msgnum: number; from: string; text: string; time: number }, joined: Set<Member> | undefined): void {
    const room = this.directRoom(e.roomnum);
    if (!room) return;
    const data = textFrame(messageFrame(room.name, e));
    for (const owner of room.owners) {
      for (const m of this.byUser.get(owner) ?? []) if (!joined?.has(m)) m.send(data);
    }
  }

  private directRoom(roomnum: number): Room | undefined {
    let room = this.directRooms.get(roomnum);
    if (room === undefined) {
      room = null;
      try {
        const r = this.deps.core.rooms.get(systemActor('web'), roomnum);
        if (r.kind === 'direct') room = r;
      } catch (err) {
        if (!isCoreError(err)) throw err; // a room deleted under the line: no owners to tell
      }
      this.directRooms.set(roomnum, room);
    }
    return room ?? undefined;
  }

  private onTyping(e: { roomnum: number; name: string }): void {
    const members = this.byRoom.get(e.roomnum);
    if (!members?.size) return;
    let data: Buffer | undefined;
    for (const m of members) {
      const joined = m.rooms.get(e.roomnum);
      if (!joined) continue;
      data ??= textFrame(frame({ type: 'typing', room: joined.name, name: e.name }));
      m.send(data);
    }
  }

  private schedulePresence(): void {
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = undefined;
      if (this.all.size === 0) return;
      const data = this.presenceFrame();
      for (const m of [...this.all]) m.send(data);
    }, PRESENCE_DEBOUNCE_MS);
  }

  private pingAll(): void {
    for (const m of [...this.all]) {
      if (!m.heartbeat()) this.deps.log.info({ cid: m.cid }, 'dropped a peer that missed a ping');
    }
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  return s;
}

function dropFrom<K, V>(map: Map<K, Set<V>>, key: K, v: V): void {
  const s = map.get(key);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) map.delete(key);
}
