// What every message verb works with: the store, core's other modules, and the checks and
// small steps they share (post right, size limit, the author's account, events). Split from the
// verbs so each file holds one (post, deliver, read, copy/move, remove/purge, search).
import type { MessageRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Rooms } from '../rooms/rooms.ts';
import type { Visits } from '../visits/visits.ts';
import type { Users } from '../users/users.ts';
import type { Recipients } from '../delivery/recipients.ts';
import type { Account } from '../mime/build.ts';
import type { Placed } from './place.ts';
import type { Quota } from '../policy/quota.ts';

export interface MessagesDeps {
  audit: Audit;
  recipients: Recipients;
  rooms: Rooms;
  users: Users;
  visits: Visits;
  /** level and hourly limit for Internet recipients (core/policy/send-policy.ts) */
  sendPolicy?: { checkInternet(actor: Actor, recipients: number): Promise<void> };
  /** the mailbox quota every new message is checked against (core/policy/quota.ts) */
  quota?: Pick<Quota, 'checkRooms'>;
}

export function createMessageContext(ctx: Ctx, deps: MessagesDeps) {
  const { store } = ctx;
  const { dbs } = store;

  const emitPlaced = (placed: (Placed | undefined)[]) => {
    for (const p of placed) if (p) ctx.events.emit('placed', p);
  };

  /** The account a user actor writes as (the system writes as postmaster). */
  const accountOf = (actor: Actor): Account => {
    if (actor.kind === 'system') return { name: ctx.settings.humanNode, address: `postmaster@${ctx.settings.domain}`, owns: () => false };
    const u = dbs.users.get(actor.usernum);
    const address = u?.addresses[0] ?? `${actor.name}@${ctx.settings.domain}`;
    return { name: u?.name ?? actor.name, address, owns: (a) => deps.users.findByAddress(a)?.usernum === actor.usernum };
  };

  const requirePost = (actor: Actor, roomnum: number) => {
    const access = deps.rooms.access(actor, roomnum);
    if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
    if (!access.canPost) throw new CoreError('forbidden', 'Higher access required to post in this room.');
  };

  const checkSize = (n: number) => {
    if (n > ctx.settings.maxMessageSize) throw new CoreError('too-big', `Message too big (limit ${ctx.settings.maxMessageSize} bytes).`);
  };

  const userOf = (actor: Actor) => (actor.kind === 'user' ? actor.usernum : undefined);

  const bumpPosted = (actor: Actor) => {
    if (actor.kind !== 'user') return;
    const u = dbs.users.get(actor.usernum);
    if (u) dbs.users.putSync(u.usernum, { ...u, posted: u.posted + 1 });
  };

  /** Is this room one of the actor's own mailboxes (nobody else reads it)? */
  const isOwnMailbox = (actor: Actor, roomnum: number) => {
    const room = deps.rooms.record(roomnum);
    return actor.kind === 'user' && room.kind === 'mailbox' && room.owners.length === 1 && room.owners[0] === actor.usernum;
  };

  /** The stored record of a live message the actor may read (in the given room, if any). */
  function readableRecord(actor: Actor, msgnum: number, roomnum?: number): MessageRecord {
    const rec = dbs.messages.get(msgnum);
    // one answer whether the message is gone or only elsewhere: a number must not tell what exists
    const absent = () => new CoreError('not-found', roomnum === undefined ? `Message ${msgnum} not found.` : `Message ${msgnum} was not found in this room.`);
    if (!rec || rec.refcount === 0) throw absent();
    if (!canReadMessage(actor, msgnum, roomnum)) throw absent();
    return rec;
  }

  function canReadMessage(actor: Actor, msgnum: number, roomnum?: number): boolean {
    if (roomnum !== undefined) {
      return dbs.roomLists.get([roomnum, msgnum]) !== undefined && deps.rooms.access(actor, roomnum).canRead;
    }
    if (actor.kind === 'system') return true;
    for (const { value: r } of dbs.rooms.getRange()) {
      if (dbs.roomLists.get([r.roomnum, msgnum]) && deps.rooms.access(actor, r.roomnum).canRead) return true;
    }
    return false;
  }

  return { ctx, deps, store, dbs, emitPlaced, accountOf, requirePost, checkSize, userOf, bumpPosted, isOwnMailbox, readableRecord, canReadMessage };
}

export type MessageContext = ReturnType<typeof createMessageContext>;
