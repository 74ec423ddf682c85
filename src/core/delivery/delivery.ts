// Mail delivery: who an envelope address is (recipients.ts), who may send as whom, and putting
// one incoming message into every local recipient's room at once (single instance), with the
// remote recipients queued in the same transaction (queue.ts sends them on).
import type { Actor } from '../actor.ts';
import { systemActor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Message } from '../messages/message.ts';
import type { Messages } from '../messages/messages.ts';
import type { Rooms } from '../rooms/rooms.ts';
import type { Users } from '../users/users.ts';
import type { SendPolicy } from '../policy/send-policy.ts';
import type { Quota } from '../policy/quota.ts';
import type { Recipient, Recipients } from './recipients.ts';
import { createQueue } from './queue.ts';
import { createSentCopies } from './sent-copy.ts';
import { createLists } from './list.ts';
import { AIDE_ROOM } from '../rooms/room.ts';

export type { Recipient } from './recipients.ts';
export type { QueueEntry } from './queue.ts';

export interface DeliveryDeps {
  audit: Audit;
  messages: Messages;
  recipients: Recipients;
  rooms: Rooms;
  users: Users;
  sendPolicy?: SendPolicy;
  quota?: Quota;
}

export interface Envelope {
  raw: Buffer;
  /** MAIL FROM as given; '' is the null sender */
  sender: string;
  recipients: Recipient[];
}

export function createDelivery(ctx: Ctx, deps: DeliveryDeps) {
  const { recipients } = deps;
  const queue = createQueue(ctx, deps);
  const lists = createLists(ctx, { rooms: deps.rooms, audit: deps.audit });
  const deliverer = systemActor('mail');

  /** The rooms a set of local recipients maps to, each once. */
  const roomsOf = (list: Recipient[]): number[] => {
    const out = new Set<number>();
    for (const r of list) {
      if (r.kind === 'user') out.add(deps.rooms.mailbox(r.usernum, 'inbox').roomnum);
      else if (r.kind === 'room') out.add(r.roomnum);
    }
    return [...out];
  };
  /** Quarantine (DMARC p=quarantine): each user's Junk instead of their Mail; rooms have no Junk. */
  const junkRoomsOf = (list: Recipient[]): number[] => [...new Set(list.filter((r) => r.kind === 'user').map((r) => deps.rooms.mailbox(r.usernum, 'junk').roomnum))];
  /** List mail: a copy for each Internet subscriber of every list addressed (not the sender). */
  const listCopiesOf = (list: Recipient[], sender: string) => lists.copiesFor([...new Set(list.filter((r) => r.kind === 'room').map((r) => r.roomnum))], [sender]);
  /** Mail to list control addresses is acted on and kept in the Aide room for the aides to see. */
  const controlsOf = async (list: Recipient[], sender: string): Promise<number[]> => {
    const controls = list.filter((r): r is Extract<Recipient, { kind: 'list-control' }> => r.kind === 'list-control');
    for (const c of controls) await lists.control(c.roomnum, c.control, sender);
    const aide = controls.length ? deps.rooms.findByName(deliverer, AIDE_ROOM) : undefined;
    return aide ? [aide.roomnum] : [];
  };
  const remotesOf = (list: Recipient[]) => [...new Set(list.filter((r) => r.kind === 'remote').map((r) => r.address))];

  const delivery = {
    recipients,
    queue,
    lists,
    sentCopies: createSentCopies(ctx, { rooms: deps.rooms }),

    /**
     * Does this recipient take mail now? A user whose mailboxes are already full is refused
     * (over-quota), so the sender hears it before sending the message.
     */
    checkRoomFor(target: Recipient): void {
      if (target.kind === 'user') deps.quota?.checkNotFull(target.usernum);
    },

    /**
     * Before a message's text is known (native ENT0): refuse (over-quota) when a local
     * recipient's mailboxes, or the sender's own (where the Sent copy goes), are already full.
     */
    checkMailRoom(actor: Actor, targets: Recipient[]): void {
      for (const t of targets) delivery.checkRoomFor(t);
      if (actor.kind === 'user') deps.quota?.checkNotFull(actor.usernum);
    },

    /** Resolve an envelope recipient; see recipients.resolve. */
    resolve(address: string): Recipient {
      return recipients.resolve(address);
    },

    /**
     * May this user send with this envelope sender? Only one of their own addresses (any local
     * domain's form of them). Throws forbidden (or invalid for a malformed address).
     */
    checkSender(actor: Actor, address: string): void {
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Authentication required.');
      recipients.check(address);
      const owner = deps.users.findByAddress(address);
      if (owner?.usernum !== actor.usernum) throw new CoreError('forbidden', `<${address}> is not one of your addresses.`);
    },

    /**
     * Mail arriving from another server (MX): stored once, one placement per local recipient's
     * room. Only the system may deliver inbound; recipients were resolved by the caller, who
     * refused relaying. `isJunk` (quarantined by the checks) puts it in each user's Junk and in
     * no room. Durable when the promise resolves; fires 'placed'.
     */
    async inbound(actor: Actor, env: Envelope & { isJunk?: boolean }): Promise<Message> {
      if (actor.kind !== 'system') throw new CoreError('forbidden', 'Only the mail system delivers inbound mail.');
      if (env.recipients.some((r) => r.kind === 'remote')) throw new CoreError('forbidden', 'Relaying is not allowed.');
      const roomnums = env.isJunk ? junkRoomsOf(env.recipients) : [...roomsOf(env.recipients), ...await controlsOf(env.recipients, env.sender)];
      if (env.isJunk && roomnums.length === 0) throw new CoreError('forbidden', '5.7.1 Quarantined by the sender domain\'s DMARC policy, and rooms take no quarantined mail.');
      const queue = env.isJunk ? [] : listCopiesOf(env.recipients, env.sender);
      return deps.messages.deliver(deliverer, { kind: 'external', raw: env.raw, roomnums: [...new Set(roomnums)], sender: env.sender, queue });
    },

    /**
     * Mail submitted by a logged-in user: the envelope sender and the header From must be theirs
     * (forbidden otherwise; the author is the account); local recipients get it at once, remote
     * ones are queued, and with `saveSent` a copy lands in the sender's Sent room (mail clients
     * save their own by APPEND, so by default the server does not: one copy, not two) — all in
     * one transaction, durable when the promise resolves; fires 'placed'.
     */
    async submit(actor: Actor, env: Envelope, opts: { saveSent?: boolean } = {}): Promise<Message> {
      delivery.checkSender(actor, env.sender);
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Authentication required.');
      await deps.sendPolicy?.checkInternet(actor, remotesOf(env.recipients).length);
      const sent = opts.saveSent ? [deps.rooms.mailbox(actor.usernum, 'sent').roomnum] : [];
      const roomnums = [...new Set([...roomsOf(env.recipients), ...sent, ...await controlsOf(env.recipients, env.sender)])];
      // the builder adds a missing Date and Message-ID (RFC 6409 §8) and refuses a foreign From
      return deps.messages.deliver(actor, { kind: 'submission', raw: env.raw, roomnums, sender: env.sender, remote: remotesOf(env.recipients), queue: listCopiesOf(env.recipients, env.sender), ...(sent[0] !== undefined ? { ownCopy: sent[0] } : {}) });
    },
  };
  return delivery;
}

export type Delivery = ReturnType<typeof createDelivery>;
