// Instant messages ("pages"): queued per user while they are online, fetched one at a time
// (native GEXP) or pushed (web). Any translator can send and deliver them.
import type { Actor } from '../actor.ts';
import { isAide } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Presence } from '../presence/presence.ts';
import type { Users } from '../users/users.ts';
import type { SendPolicy } from '../policy/send-policy.ts';

export interface Page {
  id: number;
  time: number;
  from: string;
  fromUser?: number;
  text: string;
  isBroadcast: boolean;
}

const MAX_WAITING = 100;
const MAX_TEXT = 8192;

export function createPages(ctx: Ctx, deps: { presence: Presence; users: Users; sendPolicy?: SendPolicy }) {
  const waiting = new Map<number, Page[]>();
  let nextId = 1;

  const enqueue = (to: number, page: Page) => {
    const q = waiting.get(to) ?? [];
    if (q.length >= MAX_WAITING) q.shift();
    q.push(page);
    waiting.set(to, q);
    ctx.events.emit('page', { to, from: page.from });
  };

  return {
    /** Check that a user can be paged right now; returns their usernum. */
    check(actor: Actor, toName: string): number {
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
      if (toName.toLowerCase() === 'broadcast') {
        if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required to send a broadcast.');
        return -1;
      }
      const u = deps.users.find(toName);
      if (!u || u.level === 0) throw new CoreError('not-found', `'${toName}' does not exist.`);
      deps.sendPolicy?.checkStranger(actor, u);
      if (!deps.presence.isOnline(u.usernum) || !deps.presence.acceptsPages(u.usernum)) {
        throw new CoreError('unavailable', `'${u.name}' is not logged in or is not accepting pages.`);
      }
      return u.usernum;
    },

    /** Send an instant message to a user (or 'broadcast' for aides). Returns how many received it. */
    send(actor: Actor, toName: string, text: string): number {
      const to = this.check(actor, toName);
      if (text.length > MAX_TEXT) throw new CoreError('too-big', 'Message too long.');
      const base = { time: Date.now(), from: actor.kind === 'user' ? actor.name : 'system', text };
      const fromUser = actor.kind === 'user' ? { fromUser: actor.usernum } : {};
      if (to === -1) {
        const targets = new Set(deps.presence.list().map((s) => s.usernum!));
        for (const t of targets) enqueue(t, { id: nextId++, ...base, ...fromUser, isBroadcast: true });
        return targets.size;
      }
      enqueue(to, { id: nextId++, ...base, ...fromUser, isBroadcast: false });
      return 1;
    },

    /** How many pages wait for a user. */
    waitingCount(usernum: number): number {
      return waiting.get(usernum)?.length ?? 0;
    },

    /** Take the oldest waiting page, and how many remain after it. */
    take(usernum: number): { page: Page; more: number } | undefined {
      const q = waiting.get(usernum);
      const page = q?.shift();
      if (!page || !q) return undefined;
      if (q.length === 0) waiting.delete(usernum);
      return { page, more: q.length };
    },

    /** Drop a user's waiting pages when their last session ends. */
    clear(usernum: number): void {
      waiting.delete(usernum);
    },
  };
}

export type Pages = ReturnType<typeof createPages>;
