// Direct rooms: the one private chat room two users share (kind 'direct', both are owners).
// Found by a key on the pair of usernums, and reachable by name from either owner, so native
// GOTO, IMAP and the web client all open the same room.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Users } from '../users/users.ts';
import type { SendPolicy } from '../policy/send-policy.ts';
import { usernumOf } from '../visits/visits.ts';
import type { Rooms } from './rooms.ts';
import { nameKey, toRoom, type Room } from './room.ts';

/** The room-names key of the direct room of two users (order-independent). */
export const directKey = (a: number, b: number): string => `~direct/${Math.min(a, b)}/${Math.max(a, b)}`;

export function createDirectRooms(ctx: Ctx, deps: { rooms: Rooms; users: Users; sendPolicy?: SendPolicy }) {
  const { store } = ctx;
  const { dbs } = store;

  const peerOf = (actor: Actor, otherName: string) => {
    const me = usernumOf(actor);
    const other = deps.users.find(otherName);
    if (!other || other.level === 0) throw new CoreError('not-found', `'${otherName}' does not exist.`);
    if (other.usernum === me) throw new CoreError('invalid', 'A direct chat needs another user.');
    return { me, other };
  };

  const existing = (a: number, b: number): Room | undefined => {
    const num = dbs.roomNames.get(directKey(a, b));
    const r = num === undefined ? undefined : dbs.rooms.get(num);
    return r && !r.deletedAt ? toRoom(r) : undefined;
  };

  return {
    /** The direct room of the actor and another user, if it exists. */
    find(actor: Actor, otherName: string): Room | undefined {
      const { me, other } = peerOf(actor, otherName);
      return existing(me, other.usernum);
    },

    /**
     * Find or create the direct room of the actor and another user. Named "a+b" (sorted, as
     * user names cannot hold '+'), indexed under each owner's personal names. Durable on
     * resolve; fires 'room' when created.
     */
    async open(actor: Actor, otherName: string): Promise<Room> {
      const { me, other } = peerOf(actor, otherName);
      const found = existing(me, other.usernum);
      if (found) return found;
      deps.sendPolicy?.checkStranger(actor, other);
      const self = deps.users.getByNum(me);
      const [first, second] = [self, other].sort((x, y) => x.usernum - y.usernum) as [typeof self, typeof other];
      const name = [self.name, other.name].sort((x, y) => x.localeCompare(y)).join('+');
      const { rec, isNew } = await store.write(() => {
        // a concurrent open of the same pair may have committed first
        const num = dbs.roomNames.get(directKey(me, other.usernum));
        const prior = num === undefined ? undefined : dbs.rooms.get(num);
        if (prior && !prior.deletedAt) return { rec: prior, isNew: false };
        if (dbs.roomNames.get(nameKey(name, second.usernum)) !== undefined) throw new CoreError('exists', `'${name}' already exists.`);
        const r = deps.rooms.insertInTxn({
          name, kind: 'direct', floor: 0, order: 0, owners: [first.usernum, second.usernum], aide: 0,
          isPermanent: false, isReadOnly: false, defaultView: 0,
        }, first.usernum);
        dbs.roomNames.putSync(nameKey(name, second.usernum), r.roomnum);
        dbs.roomNames.putSync(directKey(me, other.usernum), r.roomnum);
        return { rec: r, isNew: true };
      });
      if (isNew) ctx.events.emit('room', { roomnum: rec.roomnum, change: 'created' });
      return toRoom(rec);
    },
  };
}

export type DirectRooms = ReturnType<typeof createDirectRooms>;
