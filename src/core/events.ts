// In-process notifications that translators subscribe to (IDLE, WebSocket pushes, native chat, pages).
import { EventEmitter } from 'node:events';

export interface CoreEvents {
  /** a placement was added: a new message (or a copy) arrived in a room */
  placed: [{ roomnum: number; msgnum: number; modseq: number; uid: number }];
  /** a placement was removed */
  removed: [{ roomnum: number; msgnum: number; modseq: number; uid: number }];
  /** a user's flags or seen state changed in a room */
  flags: [{ usernum: number; roomnum: number; msgnums: number[]; modseq: number }];
  /** a room was created, renamed or deleted */
  room: [{ roomnum: number; change: 'created' | 'renamed' | 'deleted' | 'changed' }];
  /** a user's folder subscriptions changed (a name subscribed or not, a shared room forgotten or not) */
  subscriptions: [{ usernum: number }];
  /** a user came online or went offline (first/last session) */
  presence: [{ usernum: number; name: string; isOnline: boolean }];
  /** an instant message is waiting for a user */
  page: [{ to: number; from: string }];
  /** a chat line was said in a room (also stored as a message) */
  chat: [{ roomnum: number; seq: number; msgnum: number; from: string; text: string; time: number }];
  /** someone is typing in a room's chat */
  typing: [{ roomnum: number; name: string }];
  /** a user's web logins were ended by core (new password, account deleted) */
  loginsEnded: [{ usernum: number; ids: string[] }];
}

export class Events extends EventEmitter<CoreEvents> {
  constructor() {
    super();
    // many sessions subscribe at once; the default limit of 10 would warn falsely
    this.setMaxListeners(0);
  }
}
