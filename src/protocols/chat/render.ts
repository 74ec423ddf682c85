// Server → client frames: core values → JSON text. Pure (protocol/websocket.md §Server messages).
import type { ChatLine, Page, SessionInfo } from '../../core/index.ts';
import type { ChatErrorCode } from './errors.ts';
import type { RequestId } from './schema.ts';

export interface WireLine {
  msgnum: number;
  from: string;
  text: string;
  /** milliseconds since the epoch */
  time: number;
}

export interface WhoEntry {
  name: string;
  /** the protocols the user is connected with, e.g. ["native","web"] */
  via: string[];
  /** the room shown for the user's newest session, if any */
  room?: string;
}

export type ServerMessage =
  | { type: 'hello'; user: { name: string; level: number }; limits: { maxPayload: number; rate: number } }
  | { type: 'history'; room: string; kind: string; messages: WireLine[]; isResume: boolean; isTruncated: boolean; members: string[]; id?: RequestId }
  | { type: 'message'; room: string; msgnum: number; from: string; text: string; time: number }
  | { type: 'typing'; room: string; name: string }
  | { type: 'presence'; users: WhoEntry[] }
  | { type: 'page'; from: string; text: string; time: number; isBroadcast: boolean }
  | { type: 'direct'; room: string; with: string; id?: RequestId }
  | { type: 'left'; room: string; id?: RequestId }
  | { type: 'sent'; id?: RequestId; msgnum?: number }
  | { type: 'error'; code: ChatErrorCode; message: string; id?: RequestId };

export const frame = (m: ServerMessage): string => JSON.stringify(m);

export const wireLine = (l: ChatLine): WireLine => ({ msgnum: l.msgnum, from: l.from, text: l.text, time: l.time });

export function messageFrame(room: string, l: { msgnum: number; from: string; text: string; time: number }): string {
  return frame({ type: 'message', room, msgnum: l.msgnum, from: l.from, text: l.text, time: l.time });
}

export function pageFrame(p: Page): string {
  return frame({ type: 'page', from: p.from, text: p.text, time: p.time, isBroadcast: p.isBroadcast });
}

/**
 * Who is online, one entry per user, from every protocol's sessions (the native who list).
 * One list goes to every web client, so stealthy sessions (native STEL) are left out for all.
 */
export function whoList(sessions: SessionInfo[]): WhoEntry[] {
  const byUser = new Map<string, WhoEntry>();
  for (const s of sessions) {
    if (!s.name || s.isStealth) continue;
    const e = byUser.get(s.name) ?? { name: s.name, via: [] };
    if (!e.via.includes(s.proto)) e.via.push(s.proto);
    if (s.room) e.room = s.room;
    byUser.set(s.name, e);
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
}
