// The table of client message types (protocol/websocket.md §Client messages): each entry calls
// core, which checks access, and returns the reply frame, if any. Live lines, typing and
// presence reach clients through hub.ts, not through these replies.
import type { ChatLine, Room } from '../../core/index.ts';
import { ChatError } from './errors.ts';
import { textFrame } from './frames.ts';
import { frame, wireLine, type ServerMessage } from './render.ts';
import type { ClientMessage, ClientType, RequestId } from './schema.ts';
import type { WsSession } from './ws-session.ts';

type Handler<T extends ClientType> = (s: WsSession, m: Extract<ClientMessage, { type: T }>) => Promise<ServerMessage | undefined>;

/** History sent on a plain join. */
const RECENT = 50;
/** A resume sends everything since the client's last msgnum, in pages, up to this many lines. */
const RESUME_PAGE = 200;
const RESUME_PAGES = 10;
/** Most rooms one connection may have joined at once. */
const MAX_JOINED = 50;

/** A joined room by the name the client uses (case-insensitive), or undefined. */
function joined(s: WsSession, name: string): { roomnum: number; name: string } | undefined {
  const n = name.trim().toLowerCase();
  for (const [roomnum, r] of s.rooms) if (r.name.toLowerCase() === n) return { roomnum, name: r.name };
  return undefined;
}

function requireJoined(s: WsSession, name: string) {
  const r = joined(s, name);
  if (!r) throw new ChatError('invalid', `Join '${name}' first.`);
  return r;
}

/** A room to post in: one already joined, or any the actor can see (core checks access on post). */
function roomToPost(s: WsSession, name: string): number {
  const j = joined(s, name);
  if (j) return j.roomnum;
  const room = s.deps.core.rooms.findByName(s.actor, name);
  if (!room) throw new ChatError('not-found', `room '${name}' not found`);
  return room.roomnum;
}

/** Lines after `since`, oldest first, in bounded pages; truncated when there were more. */
function linesSince(s: WsSession, roomnum: number, since: number): { lines: ChatLine[]; isTruncated: boolean } {
  const lines: ChatLine[] = [];
  let after = since;
  for (let i = 0; i < RESUME_PAGES; i++) {
    const page = s.deps.core.chat.since(s.actor, roomnum, after, RESUME_PAGE);
    lines.push(...page);
    if (page.length < RESUME_PAGE) return { lines, isTruncated: false };
    after = page[page.length - 1]!.msgnum;
  }
  return { lines, isTruncated: true };
}

function historyOf(s: WsSession, room: Room, m: { since?: number; id?: RequestId }): ServerMessage {
  const { since } = m;
  // read and subscribe with no await in between, so no line falls between history and live
  const { lines, isTruncated } = since === undefined
    ? { lines: s.deps.core.chat.recent(s.actor, room.roomnum, RECENT), isTruncated: false }
    : linesSince(s, room.roomnum, since);
  const lastSent = Math.max(since ?? 0, lines.at(-1)?.msgnum ?? 0);
  s.deps.hub.join(s, room.roomnum, { name: room.name, lastSent });
  s.presence.update({ room: room.name, chatRoom: room.roomnum });
  return {
    type: 'history', room: room.name, kind: room.kind, messages: lines.map(wireLine), isResume: since !== undefined, isTruncated,
    members: s.deps.core.presence.chatters(room.roomnum), ...(m.id !== undefined ? { id: m.id } : {}),
  };
}

const join: Handler<'join'> = async (s, m) => {
  const { room } = await s.deps.core.rooms.enter(s.actor, m.room, m.password);
  if (room.kind === 'mailbox') throw new ChatError('invalid', `'${room.name}' is a mailbox, not a chat room.`);
  if (!s.rooms.has(room.roomnum) && s.rooms.size >= MAX_JOINED) throw new ChatError('limit', `At most ${MAX_JOINED} rooms at once.`);
  return historyOf(s, room, m);
};

const leave: Handler<'leave'> = async (s, m) => {
  const r = requireJoined(s, m.room);
  s.deps.hub.leave(s, r.roomnum);
  if (s.rooms.size === 0) s.presence.update({ chatRoom: undefined });
  return { type: 'left', room: r.name, ...(m.id !== undefined ? { id: m.id } : {}) };
};

const say: Handler<'say'> = async (s, m) => {
  const line = await s.deps.core.chat.say(s.actor, roomToPost(s, m.room), m.text);
  return { type: 'sent', msgnum: line.msgnum, ...(m.id !== undefined ? { id: m.id } : {}) };
};

const typing: Handler<'typing'> = async (s, m) => {
  s.deps.core.chat.typing(s.actor, requireJoined(s, m.room).roomnum);
  return undefined;
};

const seen: Handler<'seen'> = async (s, m) => {
  const r = requireJoined(s, m.room);
  const upTo = Math.min(m.msgnum, s.deps.core.chat.position(r.roomnum));
  await s.deps.core.visits.setLastSeen(s.actor, r.roomnum, upTo);
  return m.id !== undefined ? { type: 'sent', id: m.id } : undefined;
};

const page: Handler<'page'> = async (s, m) => {
  s.deps.core.pages.send(s.actor, m.to, m.text);
  return { type: 'sent', ...(m.id !== undefined ? { id: m.id } : {}) };
};

const direct: Handler<'direct'> = async (s, m) => {
  const room = await s.deps.core.direct.open(s.actor, m.user);
  const other = s.deps.core.users.get(m.user);
  // the other user's open pages learn of the room at once, so it shows in their list
  s.deps.hub.toUser(other.usernum, textFrame(frame({ type: 'direct', room: room.name, with: s.actor.name })));
  return { type: 'direct', room: room.name, with: other.name, ...(m.id !== undefined ? { id: m.id } : {}) };
};

export const HANDLERS: { [T in ClientType]: Handler<T> } = { join, leave, say, typing, seen, page, direct };
