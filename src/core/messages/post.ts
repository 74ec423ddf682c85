// The ways a user writes a message: a text post (native, chat), native mail, IMAP APPEND, and a
// MIME message into rooms (native format 4, NNTP POST). Each builds through core/mime and stores
// once; durable when the promise resolves; fires 'placed'.
import type { Actor } from '../actor.ts';
import { CoreError } from '../errors.ts';
import type { AuthorRule, Built } from '../mime/build.ts';
import { usernumOf, type FlagName } from '../visits/visits.ts';
import type { HeaderIndex } from '../mime/header.ts';
import { toMessage, type Message } from './message.ts';
import { storeMessageInTxn } from './place.ts';
import type { MessageContext } from './context.ts';
import type { Delivering, StoreRaw } from './deliver.ts';

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

/** A flag a message is appended with: a system flag or a keyword. */
export type AppendFlag = FlagName | { keyword: string };

/** One message of an APPEND. */
export interface AppendItem {
  raw: Buffer;
  /** the internal date given, else now */
  time?: number;
  /** sent as an IMAP literal8: binary parts are stored base64-encoded (RFC 3516 §4.3) */
  isBinary?: boolean;
  flags?: AppendFlag[];
}

const MAX_SUBJECT = 500;

export function createPosting(mc: MessageContext, d: Delivering) {
  const { ctx, deps, store, emitPlaced, accountOf, requirePost, checkSize, userOf, bumpPosted, isOwnMailbox } = mc;
  const { storeRaw, buildRaw, storeBuiltInTxn, buildText, recordOf, enqueueInTxn } = d;

  /** Set flags on new placements for the user, in the caller's transaction; returns the modseq. */
  const flagsInTxn = (usernum: number, roomnum: number, items: { msgnum: number; flags: AppendFlag[] }[]): number =>
    deps.visits.changeFlagsInTxn(usernum, roomnum, items.flatMap(({ msgnum, flags }) => flags.map((flag) => ({ flag, isOn: true, msgnums: [msgnum] }))));

  return {
    /** Post a text message into a room the actor may post in; durable on resolve; fires 'placed'. */
    async post(actor: Actor, p: TextPost): Promise<Message> {
      requirePost(actor, p.roomnum);
      checkSize(Buffer.byteLength(p.text));
      const room = deps.rooms.record(p.roomnum);
      const subject = (p.subject ?? '').slice(0, MAX_SUBJECT);
      const built = await buildText(actor, { text: p.text, subject, references: p.references ?? [], ...(p.authorName ? { authorName: p.authorName } : {}) });
      const { rec, placed } = await store.write(() => {
        // checked in the write, where writes run one at a time: two at once cannot both fit
        deps.quota?.checkRooms([p.roomnum], built.raw.length);
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
        deps.quota?.checkRooms(inboxes, built.raw.length, { mode: 'any', hasOtherTargets: remote.length > 0, ownCopy: sent });
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
     * IMAP APPEND (and MULTIAPPEND, RFC 3502): raw messages into one room the actor may post in,
     * with the actor's flags on them, all in one transaction: all are stored or none is. Into
     * one's own mailboxes anything goes (drafts, archives); into a room others read, the From
     * must be one of the actor's addresses (forbidden otherwise). Durable on resolve; fires
     * 'placed', and 'flags' where flags were given.
     */
    async append(actor: Actor, a: { roomnum: number; messages: AppendItem[] }): Promise<Message[]> {
      const usernum = usernumOf(actor);
      requirePost(actor, a.roomnum);
      const author: AuthorRule = isOwnMailbox(actor, a.roomnum) ? { kind: 'free' } : { kind: 'account', account: accountOf(actor), onForeignFrom: 'refuse' };
      const each = a.messages.map((m): StoreRaw => ({ raw: m.raw, roomnums: [a.roomnum], author, way: 'append', checkPost: true, ...(m.time !== undefined ? { time: m.time } : {}), ...(m.isBinary ? { isBinary: true } : {}) }));
      const built: Built[] = [];
      for (const d of each) built.push(await buildRaw(actor, d));
      const out = await store.write(() => {
        deps.quota?.checkRooms([a.roomnum], built.reduce((sum, b) => sum + b.raw.length, 0));
        const stored = built.map((b, i) => storeBuiltInTxn(actor, b, each[i]!, [a.roomnum]));
        const flagged = stored.flatMap((r, i) => (a.messages[i]!.flags?.length ? [{ msgnum: r.rec.msgnum, flags: a.messages[i]!.flags! }] : []));
        const modseq = flagged.length ? flagsInTxn(usernum, a.roomnum, flagged) : 0;
        return { stored, flagged: flagged.map((f) => f.msgnum), modseq };
      });
      emitPlaced(out.stored.flatMap((r) => r.placed));
      if (out.flagged.length) ctx.events.emit('flags', { usernum, roomnum: a.roomnum, msgnums: out.flagged, modseq: out.modseq });
      return out.stored.map((r) => toMessage(r.rec));
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
