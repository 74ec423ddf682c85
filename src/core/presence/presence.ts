// Presence: every connected session of every protocol, for "who is online" (RWHO, web presence).
import type { Ctx } from '../context.ts';

export interface SessionInfo {
  sid: number;
  proto: string;
  host: string;
  client: string;
  usernum?: number;
  name?: string;
  room?: string;
  /** room number while in chat mode (native RCHT, web chat) */
  chatRoom?: number;
  lastActive: number;
  lastCmd: string;
  loggedIn: number;
  isPosting: boolean;
  /** hidden from who-is-online lists of non-aides (native STEL) */
  isStealth?: boolean;
}

export interface PresenceHandle {
  readonly sid: number;
  update(patch: Partial<Omit<SessionInfo, 'sid'>>): void;
  close(): void;
}

export function createPresence(ctx: Ctx) {
  const sessions = new Map<number, SessionInfo>();
  let nextSid = 1;
  // sessions per user, kept as they log in and out, so who-is-online checks stay O(1) with
  // thousands of connections (a scan per close made closing n sessions O(n²))
  const perUser = new Map<number, number>();
  const onlineCount = (usernum: number) => perUser.get(usernum) ?? 0;
  const count = (usernum: number | undefined, by: 1 | -1) => {
    if (usernum === undefined) return;
    const n = (perUser.get(usernum) ?? 0) + by;
    if (n > 0) perUser.set(usernum, n);
    else perUser.delete(usernum);
  };
  const dnd = new Set<number>();

  const presence = {
    /** Register a connection; the handle updates it and removes it on close. */
    open(info: { proto: string; host: string; client?: string }): PresenceHandle {
      const sid = nextSid++;
      const now = Math.floor(Date.now() / 1000);
      sessions.set(sid, { sid, proto: info.proto, host: info.host, client: info.client ?? info.proto, lastActive: now, lastCmd: '', loggedIn: now, isPosting: false });
      return {
        sid,
        update(patch) {
          const cur = sessions.get(sid);
          if (!cur) return;
          const wasUser = cur.usernum;
          Object.assign(cur, patch);
          if ('usernum' in patch && wasUser !== cur.usernum) {
            count(wasUser, -1);
            count(cur.usernum, 1);
          }
          if (patch.usernum !== undefined && wasUser !== patch.usernum) {
            cur.loggedIn = Math.floor(Date.now() / 1000);
            if (onlineCount(patch.usernum) === 1) ctx.events.emit('presence', { usernum: patch.usernum, name: cur.name ?? '', isOnline: true });
          }
          if ('usernum' in patch && patch.usernum === undefined && wasUser !== undefined && onlineCount(wasUser) === 0) {
            ctx.events.emit('presence', { usernum: wasUser, name: cur.name ?? '', isOnline: false });
          }
        },
        close() {
          const cur = sessions.get(sid);
          if (!cur) return;
          sessions.delete(sid);
          count(cur.usernum, -1);
          if (cur.usernum !== undefined && onlineCount(cur.usernum) === 0) {
            ctx.events.emit('presence', { usernum: cur.usernum, name: cur.name ?? '', isOnline: false });
          }
        },
      };
    },

    /** Logged-in sessions, oldest first. */
    list(): SessionInfo[] {
      return [...sessions.values()].filter((s) => s.usernum !== undefined).sort((a, b) => a.sid - b.sid);
    },

    connectionCount(): number {
      return sessions.size;
    },

    isOnline(usernum: number): boolean {
      return onlineCount(usernum) > 0;
    },

    /** Chatters in a room (RCHT rwho, web chat member list). */
    chatters(roomnum: number): string[] {
      return [...new Set([...sessions.values()].filter((s) => s.chatRoom === roomnum && s.name).map((s) => s.name!))];
    },

    /** Do-not-disturb: a user who does not accept instant messages (DEXP 0). */
    setAcceptsPages(usernum: number, accepts: boolean): void {
      if (accepts) dnd.delete(usernum);
      else dnd.add(usernum);
    },

    acceptsPages(usernum: number): boolean {
      return !dnd.has(usernum);
    },
  };
  return presence;
}

export type Presence = ReturnType<typeof createPresence>;
