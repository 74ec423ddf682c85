// Mailing lists on room list addresses: a message to a room's list address (from the MX or
// submission) is placed in the room and also queued for each of the room's Internet subscribers,
// with a VERP envelope sender per subscriber (<list>-bounces+<user>=<domain>@<domain>), so a
// bounce names who bounced. The outbound side adds List-Id, List-Post and List-Unsubscribe
// (RFC 2919, RFC 2369). A subscriber whose copies bounce LIST_BOUNCE_LIMIT times is dropped;
// mail to <list>-unsubscribe@ unsubscribes its envelope sender. Subscriptions are kept on the
// room record; aides and room aides manage them, audited.
import type { RoomRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { systemActor } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Rooms } from '../rooms/rooms.ts';

export const LIST_BOUNCE_LIMIT = 3;

export type ListControl = { action: 'bounce'; list: string; subscriber: string } | { action: 'unsubscribe'; list: string };

/** What a local part addressed to a list's control address asks for, if anything. */
export function parseListControl(local: string): ListControl | undefined {
  const l = local.toLowerCase();
  const bounce = /^(.+)-bounces\+(.+)=([^=]+)$/.exec(l);
  if (bounce) return { action: 'bounce', list: bounce[1]!, subscriber: `${bounce[2]}@${bounce[3]}` };
  const unsub = /^(.+)-unsubscribe$/.exec(l);
  if (unsub) return { action: 'unsubscribe', list: unsub[1]! };
  return undefined;
}

export function createLists(ctx: Ctx, deps: { rooms: Rooms; audit: Audit }) {
  const { store } = ctx;
  const { dbs } = store;
  const system = systemActor('mail-list');

  /** The list's full address: its own if it names a domain, else on the primary domain. */
  const addressOf = (room: RoomRecord) => (room.listAddress!.includes('@') ? room.listAddress! : `${room.listAddress}@${ctx.settings.domain}`).toLowerCase();
  const localOf = (room: RoomRecord) => addressOf(room).split('@')[0]!;
  const domainOf = (room: RoomRecord) => addressOf(room).split('@')[1]!;

  const listRoom = (roomnum: number): RoomRecord => {
    const room = dbs.rooms.get(roomnum);
    if (!room || room.deletedAt || !room.listAddress) throw new CoreError('not-found', `Room #${roomnum} has no list address.`);
    return room;
  };

  const requireAdmin = (actor: Actor, roomnum: number) => {
    if (actor.kind !== 'system' && !deps.rooms.access(actor, roomnum).canAdmin) throw new CoreError('forbidden', 'Higher access required.');
  };

  const setSubscribers = async (actor: Actor, roomnum: number, action: string, address: string, change: (list: { address: string; bounces: number }[]) => { address: string; bounces: number }[]) => {
    await store.write(() => {
      const room = listRoom(roomnum);
      dbs.rooms.putSync(roomnum, { ...room, listSubscribers: change(room.listSubscribers ?? []) });
      deps.audit.recordInTxn(actor, action, room.name, { address });
    });
  };

  const lists = {
    /** The room's Internet subscribers (aides and room aides). */
    subscribers(actor: Actor, roomnum: number): string[] {
      requireAdmin(actor, roomnum);
      return (listRoom(roomnum).listSubscribers ?? []).map((s) => s.address);
    },

    /** Add an Internet address to the room's list (aides and room aides); audited. */
    async subscribe(actor: Actor, roomnum: number, address: string): Promise<void> {
      requireAdmin(actor, roomnum);
      const a = address.trim().toLowerCase();
      if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(a)) throw new CoreError('invalid', `'${address}' is not a mail address.`);
      await setSubscribers(actor, roomnum, 'list.subscribe', a, (l) => (l.some((s) => s.address === a) ? l : [...l, { address: a, bounces: 0 }]));
    },

    /** Remove an address from the room's list (aides, room aides, or the mail system); audited. */
    async unsubscribe(actor: Actor, roomnum: number, address: string): Promise<boolean> {
      requireAdmin(actor, roomnum);
      const a = address.trim().toLowerCase();
      if (!(listRoom(roomnum).listSubscribers ?? []).some((s) => s.address === a)) return false;
      await setSubscribers(actor, roomnum, 'list.unsubscribe', a, (l) => l.filter((s) => s.address !== a));
      return true;
    },

    /** Queue entries for the subscribers of these rooms' lists, the sender excluded. */
    copiesFor(roomnums: number[], exclude: string[]): { recipient: string; sender: string; listRoom: number }[] {
      const skip = new Set(exclude.map((x) => x.toLowerCase()));
      const out: { recipient: string; sender: string; listRoom: number }[] = [];
      for (const roomnum of roomnums) {
        const room = dbs.rooms.get(roomnum);
        if (!room?.listAddress || room.deletedAt) continue;
        for (const s of room.listSubscribers ?? []) {
          if (skip.has(s.address)) continue;
          out.push({ recipient: s.address, sender: `${localOf(room)}-bounces+${s.address.replace('@', '=')}@${domainOf(room)}`, listRoom: roomnum });
        }
      }
      return out;
    },

    /** The room of a list by its local part (the part before -bounces / -unsubscribe). */
    findByLocal(local: string): number | undefined {
      for (const { value: room } of dbs.rooms.getRange()) {
        if (!room.deletedAt && room.listAddress && localOf(room) === local.toLowerCase()) return room.roomnum;
      }
      return undefined;
    },

    /** Act on mail to a control address: count a bounce (dropping at the limit) or unsubscribe. */
    async control(roomnum: number, c: ListControl, sender: string): Promise<void> {
      if (c.action === 'unsubscribe') {
        if (sender) await lists.unsubscribe(system, roomnum, sender);
        return;
      }
      const room = listRoom(roomnum);
      const sub = (room.listSubscribers ?? []).find((s) => s.address === c.subscriber);
      if (!sub) return;
      if (sub.bounces + 1 >= LIST_BOUNCE_LIMIT) {
        await lists.unsubscribe(system, roomnum, c.subscriber);
        ctx.log.warn({ room: room.name, subscriber: c.subscriber }, 'list subscriber dropped after repeated bounces');
        return;
      }
      await store.write(() => {
        const r = listRoom(roomnum);
        dbs.rooms.putSync(roomnum, { ...r, listSubscribers: (r.listSubscribers ?? []).map((s) => (s.address === c.subscriber ? { ...s, bounces: s.bounces + 1 } : s)) });
      });
    },

    /** The List-* header fields (RFC 2919 List-Id, RFC 2369 List-Post, List-Unsubscribe) of a room's list, CRLF-terminated. */
    headers(roomnum: number): string {
      const room = listRoom(roomnum);
      const name = room.name.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '');
      return [
        `List-Id: "${name}" <${localOf(room)}.${domainOf(room)}>`,
        `List-Post: <mailto:${addressOf(room)}>`,
        `List-Unsubscribe: <mailto:${localOf(room)}-unsubscribe@${domainOf(room)}>`,
        'Precedence: list',
      ].map((l) => `${l}\r\n`).join('');
    },
  };
  return lists;
}

export type Lists = ReturnType<typeof createLists>;
