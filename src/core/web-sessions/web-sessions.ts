// Web login sessions, kept in the store so that a worker restart (or the standby taking over)
// does not log anyone out. The cookie carries a random token; the store keeps only its SHA-256,
// so a copy of the store (a backup) holds no usable cookie. Sessions are not exported.
import { createHash, randomBytes } from 'node:crypto';
import type { WebSessionRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';

export interface WebSession extends WebSessionRecord {
  /** the SHA-256 of the cookie's token: the session's id everywhere but in the cookie */
  id: string;
}

/** Most live sessions one user may hold; the oldest go first. */
export const MAX_SESSIONS_PER_USER = 50;

export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export function createWebSessions(ctx: Ctx) {
  const { store } = ctx;
  const { dbs } = store;

  const ofUser = (usernum: number): WebSession[] => {
    const out: WebSession[] = [];
    for (const { key, value } of dbs.webSessions.getRange()) if (value.usernum === usernum) out.push({ id: key, ...value });
    return out.sort((a, b) => a.created - b.created);
  };

  return {
    /**
     * Start a session for the authenticated user acting; durable on resolve. Returns the token
     * for the cookie (shown once) and the ids of this user's oldest sessions that made room.
     */
    async create(actor: Actor, origin: string, ttlMs: number, now = Date.now()): Promise<{ token: string; session: WebSession; evicted: string[] }> {
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Only a user has a web session.');
      const token = randomBytes(32).toString('base64url');
      const rec: WebSessionRecord = { usernum: actor.usernum, origin, created: now, expires: now + ttlMs };
      const id = sessionIdOf(token);
      const evicted = await store.write(() => {
        const mine = ofUser(actor.usernum);
        const gone = mine.slice(0, Math.max(0, mine.length - MAX_SESSIONS_PER_USER + 1)).map((s) => s.id);
        for (const g of gone) dbs.webSessions.removeSync(g);
        dbs.webSessions.putSync(id, rec);
        return gone;
      });
      return { token, session: { id, ...rec }, evicted };
    },

    /** The live session a cookie's token names, if any. */
    find(token: string, now = Date.now()): WebSession | undefined {
      const id = sessionIdOf(token);
      const rec = dbs.webSessions.get(id);
      return rec && rec.expires > now ? { id, ...rec } : undefined;
    },

    /** End every session of a user inside the caller's write (password change, account deleted). */
    endForUserInTxn(usernum: number): string[] {
      const ids = ofUser(usernum).map((s) => s.id);
      for (const id of ids) dbs.webSessions.removeSync(id);
      return ids;
    },

    /** End a session (logout, expiry, account gone); durable on resolve. */
    async end(id: string): Promise<void> {
      if (dbs.webSessions.get(id) === undefined) return;
      await store.write(() => { dbs.webSessions.removeSync(id); });
    },

    /** Remove expired sessions; returns their ids. */
    async sweep(now = Date.now()): Promise<string[]> {
      const due: string[] = [];
      for (const { key, value } of dbs.webSessions.getRange()) if (value.expires <= now) due.push(key);
      if (due.length) await store.write(() => { for (const id of due) dbs.webSessions.removeSync(id); });
      return due;
    },

    count(): number {
      return dbs.webSessions.getCount();
    },
  };
}

export type WebSessions = ReturnType<typeof createWebSessions>;
