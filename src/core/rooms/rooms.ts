// Rooms: create, rename, delete (soft), list per user, resolve for entry, invite/kick, zap/unzap.
import { type RoomKind, type RoomRecord, type VisitRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { isAide, LEVEL } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import { usernumOf, type Visits } from '../visits/visits.ts';
import { roomCounts } from './room-list.ts';
import type { ThrottleOptions } from '../users/throttle.ts';
import { createRoomPasswords, hashRoomPassword, ROOM_PASSWORD_FAILED } from './room-password.ts';
import {
  accessFor, BASE_ROOM, MAILBOXES, nameKey, toRoom, validateRoomName, type Room, type RoomAccess,
} from './room.ts';

export interface RoomListing {
  room: Room;
  access: RoomAccess;
  total: number;
  unread: number;
  hasNew: boolean;
}

export type RoomFilter = 'known' | 'new' | 'old' | 'zapped' | 'all' | 'public';

export interface NewRoom {
  name: string;
  kind: RoomKind;
  password?: string;
  floor?: number;
  isReadOnly?: boolean;
  info?: string;
}

const MACROS: Record<string, string> = {
  _MAIL_: 'inbox', _TRASH_: 'trash', _DRAFTS_: 'drafts', _SENT_: 'sent', _JUNK_: 'junk',
};

/** What rooms.update may change; a password is given in clear and stored hashed ('' removes it). */
export type RoomPatch = Partial<Pick<RoomRecord, 'name' | 'kind' | 'floor' | 'order' | 'info' | 'isReadOnly' | 'aide' | 'listAddress'> & { password: string }>;

export function createRooms(ctx: Ctx, deps: { audit: Audit; visits: Visits; throttle?: ThrottleOptions }) {
  const { store } = ctx;
  const { dbs } = store;
  const passwords = createRoomPasswords(ctx, { audit: deps.audit, throttle: deps.throttle ?? { limit: 5, windowMs: 60_000 } });

  const record = (roomnum: number): RoomRecord => {
    const r = dbs.rooms.get(roomnum);
    if (!r || r.deletedAt) throw new CoreError('not-found', `Room #${roomnum} not found.`);
    return r;
  };

  const visitOf = (actor: Actor, roomnum: number): Readonly<VisitRecord> | undefined =>
    actor.kind === 'user' ? deps.visits.find(actor.usernum, roomnum) : undefined;

  /**
   * The actor's access to a room. A mailbox's does not depend on the visit record (a mailbox is
   * never zapped and takes no invitation), so it is not read: every message an IMAP session
   * touches checks access, and decoding the user's flag sets each time was a fifth of the
   * worker's time under imaptest's stress mode.
   */
  const accessTo = (actor: Actor, r: RoomRecord): RoomAccess =>
    accessFor(actor, r, r.kind === 'mailbox' ? undefined : visitOf(actor, r.roomnum));

  const insertInTxn = (r: Omit<RoomRecord, 'roomnum' | 'generation' | 'highest' | 'count' | 'created' | 'mtime'>, owner?: number): RoomRecord => {
    const key = nameKey(r.name, owner);
    // a soft-deleted room gives its name up (it gets it back on restore if still free)
    const holder = dbs.roomNames.get(key);
    if (holder !== undefined && !dbs.rooms.get(holder)?.deletedAt) throw new CoreError('exists', `'${r.name}' already exists.`);
    const roomnum = store.next('nextRoom');
    const now = Date.now();
    const rec: RoomRecord = { ...r, roomnum, generation: now % 2_000_000_000 || 1, highest: 0, count: 0, created: now, mtime: now };
    dbs.rooms.putSync(roomnum, rec);
    dbs.roomNames.putSync(key, roomnum);
    return rec;
  };

  /** Unread and total counts of a room for a user: placements not in the seen set. */
  const counts = (roomnum: number, visit: VisitRecord | undefined): { total: number; unread: number } =>
    roomCounts(dbs, record(roomnum), visit?.seen ?? []);

  /** Every live room on the floor (all floors when absent) a user could list, with their access. */
  function* listable(actor: Actor, floor?: number): Generator<{ r: RoomRecord; access: RoomAccess }> {
    for (const { value: r } of dbs.rooms.getRange()) {
      if (r.deletedAt) continue;
      if (floor !== undefined && floor >= 0 && r.floor !== floor) continue;
      const isOwnPersonal = actor.kind === 'user' && r.owners.includes(actor.usernum);
      if ((r.kind === 'mailbox' || r.kind === 'direct') && !isOwnPersonal) continue;
      yield { r, access: accessTo(actor, r) };
    }
  }

  const byPlace = <T extends { room: Room }>(list: T[]): T[] =>
    list.sort((a, b) => a.room.floor - b.room.floor || a.room.order - b.room.order || a.room.roomnum - b.room.roomnum);

  const rooms = {
    insertInTxn,
    counts,

    /** Create the mailbox rooms of a new user (inside the user-creation transaction). */
    createMailboxesInTxn(usernum: number): void {
      for (const m of MAILBOXES) {
        insertInTxn({
          name: m.name, kind: 'mailbox', floor: 0, order: 0, owners: [usernum], aide: 0, isPermanent: m.role === 'inbox',
          isReadOnly: false, role: m.role, defaultView: 1,
        }, usernum);
      }
    },

    /** A room by number, checked for read access. */
    get(actor: Actor, roomnum: number): Room {
      const r = record(roomnum);
      if (!accessTo(actor, r).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      return toRoom(r);
    },

    /** A room record by number without access checks; for core modules only. */
    record,

    access(actor: Actor, roomnum: number): RoomAccess {
      return accessTo(actor, record(roomnum));
    },

    /**
     * Find a room by name as the actor would see it: own mailboxes first for personal names. A
     * room the actor may not read is undefined, exactly like one that does not exist, so no
     * protocol can tell them apart (a password room is opened with enter, which asks for it).
     */
    findByName(actor: Actor, name: string): Room | undefined {
      const r = findRecordByName(actor, name);
      if (!r || !accessTo(actor, r).canRead) return undefined;
      return toRoom(r);
    },

    /** The user's mailbox with a role (inbox, sent, trash, drafts, junk). */
    mailbox(usernum: number, role: string): Room {
      const m = MAILBOXES.find((x) => x.role === role);
      const num = m ? dbs.roomNames.get(nameKey(m.name, usernum)) : undefined;
      if (num === undefined) throw new CoreError('not-found', `No ${role} mailbox.`);
      return toRoom(record(num));
    },

    /**
     * Resolve a room for entry (GOTO / SELECT / GROUP): macros, the name as given, then the
     * user's own mailboxes. Private rooms answer not-found unless invited; password rooms
     * need the password (bad-credentials) and remember a correct one. Un-zaps the room.
     */
    async enter(actor: Actor, name: string, password?: string): Promise<{ room: Room; access: RoomAccess; visit: Readonly<VisitRecord> }> {
      const usernum = usernumOf(actor);
      const r = findRecordByName(actor, name);
      if (!r) throw new CoreError('not-found', `room '${name}' not found`);
      let visit = deps.visits.find(usernum, r.roomnum);
      let access = accessFor(actor, r, visit);
      let grant = false;
      if (!access.canRead) {
        if (r.kind !== 'private-password') throw new CoreError('not-found', `room '${name}' not found`);
        await passwords.check(actor, r, password);
        grant = true;
      }
      if (grant || !visit || visit.isZapped) {
        visit = await store.write(() => deps.visits.updateInTxn(usernum, r.roomnum, (v) => ({ ...v, isInvited: v.isInvited || grant, isZapped: false })));
        access = accessFor(actor, r, visit);
      }
      return { room: toRoom(r), access, visit };
    },

    /** Rooms for a user, filtered the Citadel way (known / new / old / zapped / all / public), by floor. */
    list(actor: Actor, filter: RoomFilter = 'known', floor?: number): RoomListing[] {
      const out: RoomListing[] = [];
      for (const { r, access } of listable(actor, floor)) {
        if (!access.canRead && !(filter === 'all' && r.kind === 'private-password')) continue;
        const c = roomCounts(dbs, r, visitOf(actor, r.roomnum)?.seen ?? []);
        const hasNew = c.unread > 0;
        const keep = {
          known: access.isKnown,
          new: access.isKnown && hasNew,
          old: access.isKnown && !hasNew,
          zapped: access.isZapped && access.canRead,
          all: access.isKnown || access.isZapped,
          public: r.kind === 'public',
        }[filter];
        if (keep) out.push({ room: toRoom(r), access, ...c, hasNew });
      }
      return byPlace(out);
    },

    /**
     * The rooms list(actor, 'all') gives, without their message counts: counting unread messages
     * reads each room's placements, and IMAP LIST and NNTP LIST show no counts.
     */
    listAll(actor: Actor): { room: Room; access: RoomAccess }[] {
      const out: { room: Room; access: RoomAccess }[] = [];
      for (const { r, access } of listable(actor)) {
        if (!access.canRead && r.kind !== 'private-password') continue;
        if (access.isKnown || access.isZapped) out.push({ room: toRoom(r), access });
      }
      return byPlace(out);
    },

    /** Create a room; the creator becomes its room aide. Level ≥ local user; audited. */
    async create(actor: Actor, input: NewRoom): Promise<Room> {
      if (actor.kind === 'user' && actor.level < LEVEL.local) throw new CoreError('forbidden', 'Higher access required to create rooms.');
      const name = validateRoomName(input.name);
      if (input.kind === 'mailbox' || input.kind === 'direct') {
        return rooms.createPersonal(actor, name);
      }
      if (input.kind === 'private-password' && !input.password) throw new CoreError('invalid', 'A passworded room needs a password.');
      const floor = input.floor ?? 0;
      if (!dbs.floors.get(floor)) throw new CoreError('not-found', `No floor #${floor}.`);
      const passwordHash = input.password ? await hashRoomPassword(input.password) : undefined;
      const rec = await store.write(() => {
        const r = insertInTxn({
          name, kind: input.kind, floor, order: 0, owners: [], aide: actor.kind === 'user' ? actor.usernum : 0,
          isPermanent: false, isReadOnly: input.isReadOnly ?? false, defaultView: 0,
          ...(passwordHash ? { passwordHash } : {}),
          ...(input.info ? { info: input.info, infoTime: Date.now() } : {}),
        });
        if (actor.kind === 'user') deps.visits.updateInTxn(actor.usernum, r.roomnum, (v) => ({ ...v, isInvited: true }));
        deps.audit.recordInTxn(actor, 'room.create', name, { kind: input.kind, floor });
        return r;
      });
      ctx.events.emit('room', { roomnum: rec.roomnum, change: 'created' });
      return toRoom(rec);
    },

    /** Create a personal mailbox room (an IMAP folder) for the acting user. */
    async createPersonal(actor: Actor, name: string): Promise<Room> {
      const usernum = usernumOf(actor);
      const rec = await store.write(() => insertInTxn({
        name: validateRoomName(name), kind: 'mailbox', floor: 0, order: 0, owners: [usernum], aide: 0,
        isPermanent: false, isReadOnly: false, defaultView: 1,
      }, usernum));
      ctx.events.emit('room', { roomnum: rec.roomnum, change: 'created' });
      return toRoom(rec);
    },

    /** Change a room's settings (aide or room aide; owners for their own mailboxes). Audited. */
    async update(actor: Actor, roomnum: number, input: RoomPatch): Promise<Room> {
      const { password, ...patch } = input;
      const r = record(roomnum);
      const access = accessTo(actor, r);
      const isOwner = actor.kind === 'user' && r.kind === 'mailbox' && r.owners.includes(actor.usernum);
      if (!access.canAdmin && !isOwner) throw new CoreError('forbidden', 'Higher access required.');
      if (isOwner && Object.keys(patch).some((k) => k !== 'name')) throw new CoreError('forbidden', 'Only the name of a mailbox can change.');
      if (patch.floor !== undefined && !dbs.floors.get(patch.floor)) throw new CoreError('not-found', `No floor #${patch.floor}.`);
      if (patch.kind === 'mailbox' || patch.kind === 'direct') throw new CoreError('invalid', 'A room cannot become a mailbox.');
      const passwordHash = password ? await hashRoomPassword(password) : undefined;
      const rec = await store.write(() => {
        const cur = record(roomnum);
        const next: RoomRecord = { ...cur, ...patch, mtime: Date.now() };
        if (patch.info !== undefined) next.infoTime = Date.now();
        if (passwordHash) next.passwordHash = passwordHash;
        if (password === '') delete next.passwordHash;
        delete next.password;
        if (patch.name !== undefined && patch.name !== cur.name) {
          if (cur.isPermanent && cur.kind === 'mailbox') throw new CoreError('forbidden', 'This mailbox cannot be renamed.');
          next.name = validateRoomName(patch.name);
          const owner = cur.kind === 'mailbox' || cur.kind === 'direct' ? cur.owners[0] : undefined;
          const newKey = nameKey(next.name, owner);
          const oldKey = nameKey(cur.name, owner);
          const existing = dbs.roomNames.get(newKey);
          if (existing !== undefined && existing !== roomnum) throw new CoreError('exists', `'${next.name}' already exists.`);
          dbs.roomNames.removeSync(oldKey);
          dbs.roomNames.putSync(newKey, roomnum);
        }
        dbs.rooms.putSync(roomnum, next);
        deps.audit.recordInTxn(actor, 'room.update', cur.name, { ...patch, password: password ? '<set>' : password === '' ? '<removed>' : undefined });
        return next;
      });
      ctx.events.emit('room', { roomnum, change: patch.name ? 'renamed' : 'changed' });
      return toRoom(rec);
    },

    /** Soft-delete a room (restorable for the configured window). Aide or room aide; audited. */
    async remove(actor: Actor, roomnum: number): Promise<void> {
      const r = record(roomnum);
      const access = accessTo(actor, r);
      const isOwnFolder = actor.kind === 'user' && r.kind === 'mailbox' && r.owners.includes(actor.usernum) && !r.role;
      if (!access.canAdmin && !isOwnFolder) throw new CoreError('forbidden', 'Higher access required to delete this room.');
      if (r.isPermanent || r.role) throw new CoreError('forbidden', 'This room cannot be deleted.');
      await store.write(() => {
        const cur = record(roomnum);
        dbs.rooms.putSync(roomnum, { ...cur, deletedAt: Date.now() });
        deps.audit.recordInTxn(actor, 'room.delete', cur.name, { roomnum });
      });
      ctx.events.emit('room', { roomnum, change: 'deleted' });
    },

    /** Restore a soft-deleted room within the window (aides). Audited. */
    async restore(actor: Actor, roomnum: number): Promise<Room> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      const rec = await store.write(() => {
        const cur = dbs.rooms.get(roomnum);
        if (!cur || !cur.deletedAt) throw new CoreError('not-found', `No deleted room #${roomnum}.`);
        const next = { ...cur };
        delete next.deletedAt;
        const key = nameKey(cur.name, cur.kind === 'mailbox' || cur.kind === 'direct' ? cur.owners[0] : undefined);
        const holder = dbs.roomNames.get(key);
        if (holder !== undefined && holder !== roomnum && !dbs.rooms.get(holder)?.deletedAt) throw new CoreError('exists', `'${cur.name}' is taken by another room; rename that one first.`);
        dbs.roomNames.putSync(key, roomnum);
        dbs.rooms.putSync(roomnum, next);
        deps.audit.recordInTxn(actor, 'room.restore', cur.name, { roomnum });
        return next;
      });
      ctx.events.emit('room', { roomnum, change: 'created' });
      return toRoom(rec);
    },

    /** Invite (or kick) a user to a private room. Aide or room aide; audited. */
    async setInvited(actor: Actor, roomnum: number, usernum: number, isInvited: boolean): Promise<void> {
      const r = record(roomnum);
      if (!accessTo(actor, r).canAdmin) throw new CoreError('forbidden', 'Higher access required.');
      const target = dbs.users.get(usernum);
      if (!target) throw new CoreError('not-found', `No such user #${usernum}.`);
      await store.write(() => {
        deps.visits.updateInTxn(usernum, roomnum, (v) => ({ ...v, isInvited, isZapped: isInvited ? false : v.isZapped }));
        deps.audit.recordInTxn(actor, isInvited ? 'room.invite' : 'room.kick', r.name, { user: target.name });
      });
    },

    /** Zap (forget) or un-zap a room for the acting user. The base room and mailboxes cannot be zapped. */
    async setZapped(actor: Actor, roomnum: number, isZapped: boolean): Promise<void> {
      const usernum = usernumOf(actor);
      const r = record(roomnum);
      if (isZapped && (r.name === BASE_ROOM || r.kind === 'mailbox' || r.isPermanent)) {
        throw new CoreError('forbidden', 'You may not forget this room.');
      }
      await store.write(() => deps.visits.updateInTxn(usernum, roomnum, (v) => ({ ...v, isZapped })));
      ctx.events.emit('subscriptions', { usernum });
    },

    /** Wrong passwords tried for a room, newest last (aide or room aide): from the audit trail. */
    passwordFailures(actor: Actor, roomnum: number): { time: number; user: string; origin: string }[] {
      const r = record(roomnum);
      if (!accessTo(actor, r).canAdmin) throw new CoreError('forbidden', 'Higher access required.');
      const out: { time: number; user: string; origin: string }[] = [];
      for (const { value: e } of dbs.audit.getRange()) {
        if (e.action === ROOM_PASSWORD_FAILED && e.details?.roomnum === roomnum) out.push({ time: e.time, user: e.actor, origin: e.origin });
      }
      return out;
    },

    /** Users who may read a room (WHOK). Aide or room aide. */
    whoKnows(actor: Actor, roomnum: number): string[] {
      const r = record(roomnum);
      if (!accessTo(actor, r).canAdmin) throw new CoreError('forbidden', 'Higher access required.');
      const out: string[] = [];
      for (const { value: u } of dbs.users.getRange()) {
        if (u.level === 0) continue;
        const a: Actor = { kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin: 'check' };
        if (accessFor(a, r, deps.visits.find(u.usernum, roomnum)).isKnown) out.push(u.name);
      }
      return out;
    },
  };

  function findRecordByName(actor: Actor, name: string): RoomRecord | undefined {
    const n = name.trim();
    const usernum = actor.kind === 'user' ? actor.usernum : undefined;
    const lookup = (key: string) => {
      const num = dbs.roomNames.get(key);
      const r = num === undefined ? undefined : dbs.rooms.get(num);
      return r && !r.deletedAt ? r : undefined;
    };
    if (n.toUpperCase() === '_BASEROOM_') return lookup(nameKey(BASE_ROOM));
    const role = MACROS[n.toUpperCase()];
    if (role) {
      const m = MAILBOXES.find((x) => x.role === role)!;
      return usernum === undefined ? undefined : lookup(nameKey(m.name, usernum));
    }
    const own = usernum === undefined ? undefined : lookup(nameKey(n, usernum));
    return lookup(nameKey(n)) ?? own;
  }

  return rooms;
}

export type Rooms = ReturnType<typeof createRooms>;
