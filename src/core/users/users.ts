// Users: create, authenticate, passwords, access levels, lookup by name or address.
import type { AccessLevel as StoredLevel, UserRecord } from '../../store/index.ts';

/** an access level, 0 (deleted) to 6 (aide), as in Citadel */
export type AccessLevel = StoredLevel;
import type { Actor } from '../actor.ts';
import { randomBytes } from 'node:crypto';
import { isAide, LEVEL, systemActor } from '../actor.ts';
import { addressOf } from '../policy/hourly.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { AuthThrottle } from './throttle.ts';

/** A user as translators see it: no password hash. */
export interface User {
  usernum: number;
  name: string;
  level: AccessLevel;
  addresses: string[];
  flags: number;
  timesCalled: number;
  posted: number;
  lastCall: number;
  created: number;
  bio: string;
  isValidated: boolean;
}

export interface NewUser {
  name: string;
  password: string;
  level?: AccessLevel;
  addresses?: string[];
}

export interface UsersDeps {
  audit: Audit;
  /** create the user's mailbox rooms inside the current write transaction */
  createMailboxesInTxn: (usernum: number) => void;
  /** end every web login of a user (in the caller's transaction); returns their ids */
  endWebSessionsInTxn: (usernum: number) => string[];
  throttle: AuthThrottle;
}

const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} .'-]{0,24}$/u;

export function toUser(r: UserRecord): User {
  return {
    usernum: r.usernum, name: r.name, level: r.level, addresses: r.addresses, flags: r.flags,
    timesCalled: r.timesCalled, posted: r.posted, lastCall: r.lastCall, created: r.created,
    bio: r.bio ?? '', isValidated: r.validated,
  };
}

/** The local part used for a user's default address: "Jane Doe" → "jane.doe". */
export function localPartFor(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '.');
}

export function validateUserName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (!NAME_RE.test(n) || n.endsWith(' ')) throw new CoreError('invalid', `'${name}' is an invalid login name.`);
  if (/^(new|bbs|off|guest|sysop|broadcast|_.*_)$/i.test(n)) throw new CoreError('invalid', `'${name}' is a reserved name.`);
  return n;
}

export function createUsers(ctx: Ctx, deps: UsersDeps) {
  const { store } = ctx;
  const { dbs } = store;

  const findRecord = (nameOrAddress: string): UserRecord | undefined => {
    const num = dbs.userNames.get(nameOrAddress.trim().toLowerCase());
    return num === undefined ? undefined : dbs.users.get(num);
  };

  // a hash of a password nobody has, checked when the account does not exist
  const dummyHash = hashPassword(randomBytes(18).toString('base64'));

  const requireSelfOrAide = (actor: Actor, usernum: number) => {
    if (actor.kind === 'user' && actor.usernum !== usernum && !isAide(actor)) {
      throw new CoreError('forbidden', 'Higher access required.');
    }
  };

  const users = {
    /** Find a user by name or any address (case-insensitive); undefined when absent. */
    find(nameOrAddress: string): User | undefined {
      const r = findRecord(nameOrAddress);
      return r ? toUser(r) : undefined;
    },

    /** Like find, but throws not-found. */
    get(nameOrAddress: string): User {
      const u = users.find(nameOrAddress);
      if (!u) throw new CoreError('not-found', `No such user '${nameOrAddress}'.`);
      return u;
    },

    getByNum(usernum: number): User {
      const r = dbs.users.get(usernum);
      if (!r) throw new CoreError('not-found', `No such user #${usernum}.`);
      return toUser(r);
    },

    findByAddress(address: string): User | undefined {
      const addr = address.trim().toLowerCase();
      const at = addr.lastIndexOf('@');
      if (at < 0) return users.find(addr);
      const domain = addr.slice(at + 1);
      const local = [ctx.settings.domain, ...ctx.settings.localDomains].map((d) => d.toLowerCase());
      if (!local.includes(domain)) return undefined;
      return users.find(addr) ?? users.find(`${addr.slice(0, at)}@${ctx.settings.domain.toLowerCase()}`) ?? users.find(addr.slice(0, at));
    },

    /** Insert a user record with mailbox rooms inside the caller's write transaction (create, first-start seed). */
    insertInTxn(actor: Actor, u: { name: string; hash: string; level: AccessLevel; addresses: string[] }): UserRecord {
      const keys = [u.name.toLowerCase(), ...u.addresses];
      for (const k of keys) {
        if (dbs.userNames.get(k) !== undefined) throw new CoreError('exists', `'${u.name}' already exists.`);
      }
      const usernum = store.next('nextUser');
      const now = Date.now();
      const r: UserRecord = {
        usernum, name: u.name, passwordHash: u.hash, level: u.level, addresses: u.addresses, flags: 0, timesCalled: 0, posted: 0,
        lastCall: 0, created: now, validated: actor.kind === 'user' || u.level >= LEVEL.local,
      };
      dbs.users.putSync(usernum, r);
      for (const k of new Set(keys)) dbs.userNames.putSync(k, usernum);
      deps.createMailboxesInTxn(usernum);
      deps.audit.recordInTxn(actor, 'user.create', u.name, { level: u.level });
      return r;
    },

    /**
     * Create a user with mailbox rooms. Aides (and the command line) may create anyone at any
     * level, by default a network user (4) who may also mail the Internet; self-registration
     * (core/policy/registration.ts) gives its own level. Durable and audited when the promise resolves.
     */
    async create(actor: Actor, input: NewUser): Promise<User> {
      if (actor.kind === 'user' && !isAide(actor)) throw new CoreError('forbidden', 'Higher access required to create users.');
      const name = validateUserName(input.name);
      if (input.password.length > 256) throw new CoreError('invalid', 'Password too long.');
      const hash = await hashPassword(input.password);
      const level = (input.level ?? LEVEL.network) as AccessLevel;
      if (level < 0 || level > 6) throw new CoreError('invalid', `Invalid access level ${level}.`);
      const addresses = [`${localPartFor(name)}@${ctx.settings.domain}`.toLowerCase(), ...(input.addresses ?? []).map((a) => a.toLowerCase())];
      const rec = await store.write(() => users.insertInTxn(actor, { name, hash, level, addresses }));
      return toUser(rec);
    },

    /**
     * Check a name and password. Failures are throttled per origin address and per account;
     * while throttled the answer is 'limit' without checking. Updates login statistics.
     * Returns the user and the previous login time.
     */
    async authenticate(input: { name: string; password: string; origin: string }): Promise<{ user: User; previousCall: number }> {
      const name = input.name.trim().toLowerCase();
      const r = findRecord(name);
      // the account is counted as one key whichever of its names or addresses is used, and the
      // address as another; an unknown name is its own key
      const accountKey = r ? `user:#${r.usernum}` : `user:${name}`;
      const keys = [`addr:${addressOf(input.origin)}`, accountKey];
      const release = await deps.throttle.turn(keys);
      if (!release) {
        ctx.log.warn({ user: input.name, origin: input.origin }, 'refused: login throttled');
        throw new CoreError('limit', 'Too many failed logins; try again later.');
      }
      try {
        // an unknown or deleted account costs one scrypt like a real one, so timing tells nothing
        const isMatch = await verifyPassword(input.password, r && r.level > LEVEL.deleted ? r.passwordHash : await dummyHash);
        if (!isMatch || !r || r.level <= LEVEL.deleted) {
          const tripped = keys.filter((k) => deps.throttle.fail(k));
          release();
          ctx.log.warn({ user: input.name, origin: input.origin }, 'authentication failed');
          for (const k of tripped) await deps.audit.record(systemActor(input.origin), 'login.throttled', k, { user: input.name });
          throw new CoreError('bad-credentials', 'Wrong password.');
        }
        // a success ends only this account's count: the address's failures (other accounts
        // guessed from it) stand until their window passes
        deps.throttle.succeed(accountKey);
      } finally {
        release();
      }
      const previousCall = r.lastCall;
      const updated = await store.write(() => {
        const cur = dbs.users.get(r.usernum)!;
        const next = { ...cur, timesCalled: cur.timesCalled + 1, lastCall: Math.floor(Date.now() / 1000) };
        dbs.users.putSync(r.usernum, next);
        return next;
      });
      return { user: toUser(updated), previousCall };
    },

    /** Change a password: the user themself or an aide. Audited. */
    async changePassword(actor: Actor, usernum: number, password: string): Promise<void> {
      requireSelfOrAide(actor, usernum);
      if (password.length > 256) throw new CoreError('invalid', 'Password too long.');
      const hash = await hashPassword(password);
      // a new password ends every web login: a stolen cookie must not outlive it
      const ended = await store.write(() => {
        const cur = dbs.users.get(usernum);
        if (!cur) throw new CoreError('not-found', `No such user #${usernum}.`);
        dbs.users.putSync(usernum, { ...cur, passwordHash: hash });
        deps.audit.recordInTxn(actor, 'user.password', cur.name);
        return deps.endWebSessionsInTxn(usernum);
      });
      if (ended.length) ctx.events.emit('loginsEnded', { usernum, ids: ended });
    },

    /** Set an access level (aides only; 0 deletes the account). Audited. */
    async setLevel(actor: Actor, usernum: number, level: number): Promise<User> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      if (!Number.isInteger(level) || level < 0 || level > 6) throw new CoreError('invalid', `Invalid access level ${level}.`);
      const { next: rec, ended } = await store.write(() => {
        const cur = dbs.users.get(usernum);
        if (!cur) throw new CoreError('not-found', `No such user #${usernum}.`);
        const next = { ...cur, level: level as AccessLevel, validated: true };
        dbs.users.putSync(usernum, next);
        deps.audit.recordInTxn(actor, 'user.level', cur.name, { from: cur.level, to: level });
        // level 0 deletes the account: its web logins end with it
        return { next, ended: level === 0 ? deps.endWebSessionsInTxn(usernum) : [] };
      });
      if (ended.length) ctx.events.emit('loginsEnded', { usernum, ids: ended });
      return toUser(rec);
    },

    /** Update the user's own settings (flags, bio); aides may update anyone. */
    async update(actor: Actor, usernum: number, patch: { flags?: number; bio?: string; posted?: number }): Promise<User> {
      requireSelfOrAide(actor, usernum);
      const rec = await store.write(() => {
        const cur = dbs.users.get(usernum);
        if (!cur) throw new CoreError('not-found', `No such user #${usernum}.`);
        const next = { ...cur, ...patch };
        dbs.users.putSync(usernum, next);
        return next;
      });
      return toUser(rec);
    },

    /** Users with level > 0, by name; any logged-in user may list. */
    list(actor: Actor, opts: { includeDeleted?: boolean } = {}): User[] {
      if (actor.kind === 'user' && actor.level < LEVEL.new) throw new CoreError('forbidden', 'Not allowed.');
      const out: User[] = [];
      for (const { value } of dbs.users.getRange()) {
        if (value.level > 0 || (opts.includeDeleted && isAide(actor))) out.push(toUser(value));
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },

    /** Users awaiting validation (aides only). */
    unvalidated(actor: Actor): User[] {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      return users.list(actor).filter((u) => !u.isValidated);
    },

    count(): number {
      return dbs.users.getCount();
    },
  };
  return users;
}

export type Users = ReturnType<typeof createUsers>;
