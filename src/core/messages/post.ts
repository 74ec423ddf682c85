// The ways a user writes a message: a text post (native, chat), native mail, IMAP APPEND, and a
// MIME message into rooms (native format 4, NNTP POST). Each builds through core/mime and stores
// once; durable when the promise resolves; fires 'placed'.
import type { Actor } from '../actor.ts';
import { CoreError } from '../errors.ts';
import type { AuthorRule } from '../mime/build.ts';
import type { HeaderIndex } from '../mime/header.ts';
import { toMessage, type Message } from './message.ts';
import { storeMessageInTxn } from './place.ts';
import type { MessageContext } from './context.ts';
import type { Delivering } from './deliver.ts';

export interface TextPost {
  roomnum: number;
  text: string;
  subject?: string;
  /** 0 Citadel variformat (built-in editor), 1 plain */
  textFormat?: number;
  references?: string[];
  isChat?: boolean;
  /** display name override (aides masquerading, ENT0 field 5) */
  authorName?: string;
}

const MAX_SUBJECT = 500;

export function createPosting(mc: MessageContext, d: Delivering) {
  const { ctx, deps, store, emitPlaced, accountOf, requirePost, checkSize, userOf, bumpPosted, isOwnMailbox } = mc;
  const { storeRaw, buildText, recordOf, enqueueInTxn } = d;

  return {
    /** Post a text message into a room the actor may post in; durable on resolve; fires 'placed'. */
    async post(actor: Actor, p: TextPost): Promise<Message> {
      requirePost(actor, p.roomnum);
      checkSize(Buffer.byteLength(p.text));
      const room = deps.rooms.record(p.roomnum);
      const subject = (p.subject ?? '').slice(0, MAX_SUBJECT);
      const built = await buildText(actor, { text: p.text, subject, references: p.references ?? [], ...(p.authorName ? { authorName: p.authorName } : {}) });
      const { rec, placed } = await store.write(() => {
        const msgnum = store.next('nextMessage');
        const authorUser = userOf(actor);
        const rec = recordOf(msgnum, built, { format: 'text', time: Date.now(), room: room.name, recipients: [], ...(authorUser !== undefined ? { authorUser } : {}), ...(p.textFormat !== undefined ? { textFormat: p.textFormat } : {}), ...(p.isChat ? { isChat: true } : {}) });
        const [placed] = storeMessageInTxn(ctx, rec, built.raw, p.text, [p.roomnum]);
        bumpPosted(actor);
        return { rec: { ...rec, refcount: 1 }, placed };
      });
      emitPlaced([placed]);
      return toMessage(rec);
    },

    /**
     * Send private mail written natively: one message placed in each local recipient's
     * Mail room and the sender's Sent Items; remote addresses go to the outbound queue.
     * Recipients are user names or addresses; unknown local ones are refused (not-found).
     */
    async mail(actor: Actor, m: { to: string[]; text: string; subject?: string; references?: string[]; textFormat?: number }): Promise<Message> {
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
      if (m.to.length === 0) throw new CoreError('not-found', 'At least one recipient is required.');
      checkSize(Buffer.byteLength(m.text));
      const local: number[] = [];
      const remote: string[] = [];
      const shown: string[] = [];
      const rooms: number[] = [];
      for (const r of m.to) {
        const target = deps.recipients.resolve(r);
        // a list's bounce and unsubscribe addresses take only mail from outside (core/delivery/list.ts)
        if (target.kind === 'list-control') throw new CoreError('not-found', `No mailbox here by the name <${r.trim()}>.`);
        shown.push(target.address);
        if (target.kind === 'user') local.push(target.usernum);
        else if (target.kind === 'room') rooms.push(target.roomnum);
        else remote.push(target.address);
      }
      await deps.sendPolicy?.checkInternet(actor, remote.length);
      const inboxes = [...local.map((u) => deps.rooms.mailbox(u, 'inbox').roomnum), ...rooms];
      const sent = deps.rooms.mailbox(actor.usernum, 'sent').roomnum;
      const built = await buildText(actor, { text: m.text, subject: (m.subject ?? '').slice(0, MAX_SUBJECT), references: m.references ?? [], to: shown });
      const { rec, placed } = await store.write(() => {
        const msgnum = store.next('nextMessage');
        const rec = recordOf(msgnum, built, { format: 'text', time: Date.now(), room: 'Mail', recipients: shown, authorUser: actor.usernum, ...(m.textFormat !== undefined ? { textFormat: m.textFormat } : {}) });
        const placed = storeMessageInTxn(ctx, rec, built.raw, m.text, [...inboxes, sent]);
        for (const to of remote) enqueueInTxn(msgnum, built.authorAddress ?? '', to);
        bumpPosted(actor);
        return { rec: { ...rec, refcount: placed.length }, placed };
      });
      emitPlaced(placed);
      return toMessage(rec);
    },

    /**
     * IMAP APPEND: raw bytes into one room the actor may post in. Into one's own mailboxes
     * anything goes (drafts, archives); into a room others read, the From must be one of the
     * actor's addresses (forbidden otherwise). Durable on resolve; fires 'placed'.
     */
    async append(actor: Actor, a: { raw: Buffer; roomnum: number; time?: number }): Promise<Message> {
      requirePost(actor, a.roomnum);
      const author: AuthorRule = isOwnMailbox(actor, a.roomnum) ? { kind: 'free' } : { kind: 'account', account: accountOf(actor), onForeignFrom: 'refuse' };
      return storeRaw(actor, { raw: a.raw, roomnums: [a.roomnum], author, way: 'append', checkPost: true, ...(a.time !== undefined ? { time: a.time } : {}) });
    },

    /**
     * A MIME message written by a user into rooms (native ENT0 format 4, NNTP POST): the author
     * is the actor. A foreign From is refused (forbidden), or, where the protocol cannot refuse
     * (`onForeignFrom: 'stamp'`), kept beside a Sender naming the actor. `roomsFor` adds the rooms
     * the message names itself (news: Newsgroups); `newsHost` adds a Path. Durable on resolve.
     */
    async postRaw(actor: Actor, p: { raw: Buffer; roomnums: number[]; newsHost?: string; roomsFor?: (h: HeaderIndex) => number[]; onForeignFrom?: 'refuse' | 'stamp' }): Promise<Message> {
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
      const { onForeignFrom = 'refuse', ...rest } = p;
      return storeRaw(actor, { ...rest, author: { kind: 'account', account: accountOf(actor), onForeignFrom }, way: p.newsHost ? 'news' : 'post', checkPost: true });
    },
  };
}
