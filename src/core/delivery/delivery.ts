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
import type { Recipient, Recipients } from './recipients.ts';
import { createQueue } from './queue.ts';

export type { Recipient } from './recipients.ts';
export type { QueueEntry } from './queue.ts';

export interface DeliveryDeps {
  audit: Audit;
  messages: Messages;
  recipients: Recipients;
  rooms: Rooms;
  users: Users;
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
  const remotesOf = (list: Recipient[]) => [...new Set(list.filter((r) => r.kind === 'remote').map((r) => r.address))];

  const delivery = {
    recipients,
    queue,

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
     * refused relaying. Durable when the promise resolves; fires 'placed'.
     */
    async inbound(actor: Actor, env: Envelope): Promise<Message> {
      if (actor.kind !== 'system') throw new CoreError('forbidden', 'Only the mail system delivers inbound mail.');
      if (env.recipients.some((r) => r.kind === 'remote')) throw new CoreError('forbidden', 'Relaying is not allowed.');
      return deps.messages.deliver(deliverer, { kind: 'external', raw: env.raw, roomnums: roomsOf(env.recipients), sender: env.sender });
    },

    /**
     * Mail submitted by a logged-in user: the envelope sender and the header From must be theirs
     * (forbidden otherwise; the author is the account); local recipients get it at
     * once, remote ones are queued, and a copy lands in the sender's Sent room — all in one
     * transaction, durable when the promise resolves; fires 'placed'.
     */
    async submit(actor: Actor, env: Envelope): Promise<Message> {
      delivery.checkSender(actor, env.sender);
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Authentication required.');
      const sent = deps.rooms.mailbox(actor.usernum, 'sent').roomnum;
      const roomnums = [...new Set([...roomsOf(env.recipients), sent])];
      // the builder adds a missing Date and Message-ID (RFC 6409 §8) and refuses a foreign From
      return deps.messages.deliver(actor, { kind: 'submission', raw: env.raw, roomnums, sender: env.sender, remote: remotesOf(env.recipients) });
    },
  };
  return delivery;
}

export type Delivery = ReturnType<typeof createDelivery>;
