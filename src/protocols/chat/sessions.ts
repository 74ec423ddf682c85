// Web login sessions: a random id in an HttpOnly cookie, held in this worker's memory.
// A worker restart forgets them (users log in again); one worker is the design default.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isCoreError, type Actor, type Core } from '../../core/index.ts';
import { COOKIE_NAME, parseCookies } from './cookies.ts';

export interface LoginSession {
  readonly id: string;
  readonly usernum: number;
  readonly origin: string;
  readonly expires: number;
}

export type EndReason = 'logout' | 'expired';

/** Most live sessions one user may hold; the oldest goes first. */
const MAX_PER_USER = 50;

export class LoginSessions {
  private byId = new Map<string, LoginSession>();
  private sweeper: NodeJS.Timeout;

  constructor(private readonly opts: { core: Core; ttlMs: number; onEnd: (s: LoginSession, reason: EndReason) => void }) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, opts.ttlMs)).unref();
  }

  create(usernum: number, origin: string, now = Date.now()): LoginSession {
    const mine = [...this.byId.values()].filter((s) => s.usernum === usernum);
    for (const s of mine.slice(0, Math.max(0, mine.length - MAX_PER_USER + 1))) this.end(s.id, 'expired');
    const s: LoginSession = { id: randomBytes(32).toString('base64url'), usernum, origin, expires: now + this.opts.ttlMs };
    this.byId.set(s.id, s);
    return s;
  }

  /** The live session named by the request's cookie, if any. */
  fromRequest(req: IncomingMessage, now = Date.now()): LoginSession | undefined {
    const id = parseCookies(req.headers.cookie).get(COOKIE_NAME);
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    if (s.expires <= now) {
      this.end(s.id, 'expired');
      return undefined;
    }
    return s;
  }

  /**
   * The acting user of a session, read fresh so a changed access level applies at once;
   * undefined when the account has been deleted (the session ends).
   */
  actorOf(s: LoginSession): Actor | undefined {
    const u = this.userByNum(s.usernum);
    if (!u || u.level === 0) {
      this.end(s.id, 'expired');
      return undefined;
    }
    return { kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin: s.origin };
  }

  end(id: string, reason: EndReason): void {
    const s = this.byId.get(id);
    if (!s) return;
    this.byId.delete(id);
    this.opts.onEnd(s, reason);
  }

  size(): number {
    return this.byId.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private userByNum(usernum: number) {
    try {
      return this.opts.core.users.getByNum(usernum);
    } catch (err) {
      if (isCoreError(err) && err.kind === 'not-found') return undefined; // the account is gone: the caller ends the session
      throw err;
    }
  }

  private sweep(now = Date.now()): void {
    for (const s of [...this.byId.values()]) if (s.expires <= now) this.end(s.id, 'expired');
  }
}
