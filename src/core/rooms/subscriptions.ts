// Folder subscriptions (IMAP SUBSCRIBE/LSUB, RFC 3501 §6.3.6–9) for a user's own mailboxes, by
// name, as the RFC has them (a name may be subscribed before or after its folder exists). Kept
// in the meta database under the user's number, so export and import carry them. A user who
// never changed a subscription has every own mailbox subscribed, as before subscriptions were
// kept. Shared rooms are subscribed by not being forgotten (zapped); see rooms.setZapped.
import type { Actor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';

const keyOf = (usernum: number): string => `subscriptions/${usernum}`;

export function createSubscriptions(ctx: Ctx) {
  const { store } = ctx;
  const { dbs } = store;
  const usernumOf = (actor: Actor): number => {
    if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
    return actor.usernum;
  };
  return {
    /** The names the user subscribed, or undefined when they never changed any (all own mailboxes count). */
    list(actor: Actor): string[] | undefined {
      const v = dbs.meta.get(keyOf(usernumOf(actor)));
      return Array.isArray(v) ? (v as string[]) : undefined;
    },

    /**
     * Subscribe (isOn) or unsubscribe one name, read and written in one transaction, so two
     * sessions of the user changing names at once lose neither change. `initial` gives the names
     * of a user who never changed any. Durable on resolve.
     */
    async change(actor: Actor, name: string, isOn: boolean, initial: () => string[]): Promise<void> {
      const usernum = usernumOf(actor);
      await store.write(() => {
        const cur = dbs.meta.get(keyOf(usernum));
        const names = (Array.isArray(cur) ? (cur as string[]) : initial()).filter((n) => n !== name);
        dbs.meta.putSync(keyOf(usernum), [...new Set(isOn ? [...names, name] : names)]);
      });
      ctx.events.emit('subscriptions', { usernum });
    },

    /** Replace the user's subscribed names; durable on resolve. */
    async set(actor: Actor, names: string[]): Promise<void> {
      const usernum = usernumOf(actor);
      await store.write(() => dbs.meta.putSync(keyOf(usernum), [...new Set(names)]));
      ctx.events.emit('subscriptions', { usernum });
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
