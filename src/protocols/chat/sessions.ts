// Web login sessions: a random token in an HttpOnly cookie. Core keeps them in the store, so a
// worker restart logs nobody out; this worker remembers the ones it has served so that ending
// one (logout, expiry, the account gone) closes their WebSockets.
import type { IncomingMessage } from 'node:http';
import { isCoreError, type Actor, type Core, type WebSession } from '../../core/index.ts';
import { COOKIE_NAME, parseCookies } from './cookies.ts';

export type LoginSession = Pick<WebSession, 'id' | 'usernum' | 'origin' | 'expires'>;

export type EndReason = 'logout' | 'expired' | 'revoked';

export class LoginSessions {
  /** sessions this worker has served, by id */
  private seen = new Map<string, LoginSession>();
  private sweeper: NodeJS.Timeout;

  private readonly onLoginsEnded = (e: { ids: string[] }) => { for (const id of e.ids) this.forget(id, 'revoked'); };

  constructor(private readonly opts: { core: Core; ttlMs: number; onEnd: (s: LoginSession, reason: EndReason) => void; onError: (err: unknown) => void }) {
    this.sweeper = setInterval(() => { this.sweep().catch(opts.onError); }, Math.min(60_000, opts.ttlMs)).unref();
    opts.core.events.on('loginsEnded', this.onLoginsEnded);
  }

  /** Start a session for an authenticated user; the token goes in the cookie. */
  async create(actor: Actor, origin: string): Promise<{ session: LoginSession; token: string }> {
    const { token, session, evicted } = await this.opts.core.webSessions.create(actor, origin, this.opts.ttlMs);
    for (const id of evicted) this.forget(id, 'expired');
    this.seen.set(session.id, session);
    return { session, token };
  }

  /** The live session named by the request's cookie, if any (read from the store). */
  fromRequest(req: IncomingMessage, now = Date.now()): LoginSession | undefined {
    const token = parseCookies(req.headers.cookie).get(COOKIE_NAME);
    if (!token) return undefined;
    const s = this.opts.core.webSessions.find(token, now);
    if (!s) return undefined;
    this.seen.set(s.id, s);
    return s;
  }

  /**
   * The acting user of a session, read fresh so a changed access level applies at once;
   * undefined when the account has been deleted (the session ends).
   */
  actorOf(s: LoginSession): Actor | undefined {
    const u = this.userByNum(s.usernum);
    if (!u || u.level === 0) {
      this.end(s.id, 'expired').catch(this.opts.onError);
      return undefined;
    }
    return { kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin: s.origin };
  }

  async end(id: string, reason: EndReason): Promise<void> {
    this.forget(id, reason);
    await this.opts.core.webSessions.end(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.opts.core.events.off('loginsEnded', this.onLoginsEnded);
  }

  private forget(id: string, reason: EndReason): void {
    const s = this.seen.get(id);
    if (!s) return;
    this.seen.delete(id);
    this.opts.onEnd(s, reason);
  }

  private userByNum(usernum: number) {
    try {
      return this.opts.core.users.getByNum(usernum);
    } catch (err) {
      if (isCoreError(err) && err.kind === 'not-found') return undefined; // the account is gone: the caller ends the session
      throw err;
    }
  }

  private async sweep(now = Date.now()): Promise<void> {
    for (const s of [...this.seen.values()]) if (s.expires <= now) this.forget(s.id, 'expired');
    await this.opts.core.webSessions.sweep(now);
  }
}
