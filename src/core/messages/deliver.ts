// Storing raw RFC 5322 bytes: built once by core/mime (the author rule, Date, Message-ID, Path),
// stored once, placed in every room, remote recipients queued in the same transaction.
import type { MessageRecord, QueueRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { actorLabel, isAide } from '../actor.ts';
import { CoreError } from '../errors.ts';
import { buildMessage, ForeignFromError, type AuthorRule, type Built } from '../mime/build.ts';
import type { HeaderIndex } from '../mime/header.ts';
import { toMessage, type Message } from './message.ts';
import { storeMessageInTxn, type Placed } from './place.ts';
import type { MessageContext } from './context.ts';

export interface RawDelivery {
  /** external: from another server (MX); submission: by the actor; system: composed by Keep */
  kind: 'external' | 'submission' | 'system';
  raw: Buffer;
  roomnums: number[];
  /** envelope sender as given (SMTP MAIL FROM), for display when no From header */
  sender?: string;
  /** remote recipients to queue for outbound delivery */
  remote?: string[];
  /** further queue entries with their own envelope sender (list mail, VERP) */
  queue?: QueueEntry[];
  /** the sender's own copy (submission's Sent room), one of roomnums: counted against the sender alone */
  ownCopy?: number;
}

/** One outbound queue entry with its own envelope sender (list mail: the list's bounce address). */
export interface QueueEntry { recipient: string; sender: string; listRoom?: number }

/** How raw bytes are stored: by which author rule, into which rooms, with which checks. */
export interface StoreRaw {
  raw: Buffer;
  roomnums: number[];
  author: AuthorRule;
  /** which way in, for the log */
  way: string;
  /** check the actor's post right in every room (not for mail resolved as recipients) */
  checkPost?: boolean;
  sender?: string;
  remote?: string[];
  queue?: QueueEntry[];
  time?: number;
  newsHost?: string;
  /** handed in as binary (IMAP literal8): binary parts are stored base64-encoded */
  isBinary?: boolean;
  /** mail to recipients (SMTP): a full mailbox refuses it only when none of them can take it */
  isForRecipients?: boolean;
  /** the sender's own copy, one of roomnums: counted against the sender alone (core/policy/quota.ts) */
  ownCopy?: number;
  roomsFor?: (h: HeaderIndex) => number[];
}

export function createDelivering(mc: MessageContext) {
  const { ctx, deps, store, dbs, emitPlaced, accountOf, requirePost, checkSize, userOf, bumpPosted } = mc;

  /** A text post's bytes and parse, built before the write (parsing is async). */
  const buildText = (actor: Actor, post: { text: string; subject: string; references: string[]; to?: string[]; authorName?: string }) =>
    buildMessage({
      kind: 'text', account: accountOf(actor), text: post.text, subject: post.subject, references: post.references,
      ...(post.to ? { to: post.to } : {}), ...(post.authorName && isAide(actor) ? { displayName: post.authorName } : {}),
    }, { domain: ctx.settings.domain, now: Date.now() });

  /** The stored record of a built message (key order as store/shapes.ts knows it). */
  const recordOf = (msgnum: number, b: Built, m: { format: 'text' | 'rfc822'; time: number; room: string; authorUser?: number; recipients: string[]; textFormat?: number; isChat?: boolean }): MessageRecord => {
    const p = b.parsed;
    const head = { msgnum, format: m.format, time: m.time, authorName: b.authorName };
    const middle = { messageId: p.messageId ?? '', references: p.references, recipients: m.recipients, originRoom: m.room, size: b.raw.length, lines: p.lines, refcount: 0 };
    const tail = { envelope: p.envelope, bodyStructure: p.bodyStructure, headers: p.headers, bodyOffset: p.bodyOffset };
    const rec: MessageRecord = m.format === 'text'
      ? { ...head, authorAddress: b.authorAddress ?? '', subject: p.subject, ...middle, textFormat: m.textFormat ?? 1, ...tail }
      : { ...head, subject: p.subject, ...middle, ...tail };
    if (m.format !== 'text' && b.authorAddress) rec.authorAddress = b.authorAddress;
    if (m.authorUser !== undefined) rec.authorUser = m.authorUser;
    if (m.isChat) rec.isChat = true;
    if (p.inReplyTo) rec.inReplyTo = p.inReplyTo;
    return rec;
  };

  /** Queue one remote recipient; the queue holds a reference on the message. */
  function enqueueInTxn(msgnum: number, sender: string, recipient: string, listRoom?: number): void {
    const now = Date.now();
    const rec: QueueRecord = { msgnum, recipient, sender, attempts: 0, firstAttempt: now, state: 'pending', ...(listRoom !== undefined ? { listRoom } : {}) };
    dbs.queue.putSync([now, msgnum, recipient], rec);
    // the queue holds a reference so the message is not purged before it is sent
    const m = dbs.messages.get(msgnum)!;
    dbs.messages.putSync(msgnum, { ...m, refcount: m.refcount + 1 });
  }

  /** Build raw bytes by the author rule (size checked before and after); a refused From is logged. */
  const buildRaw = async (actor: Actor, d: StoreRaw): Promise<Built> => {
    checkSize(d.raw.length);
    let built: Built;
    try {
      built = await buildMessage({
        kind: 'raw', raw: d.raw, author: d.author, ...(d.sender !== undefined ? { envelopeSender: d.sender } : {}),
        ...(d.newsHost ? { newsHost: d.newsHost } : {}), ...(d.isBinary ? { isBinary: true } : {}),
      }, { domain: ctx.settings.domain, now: Date.now() });
    } catch (err) {
      if (err instanceof ForeignFromError) ctx.log.warn({ user: actorLabel(actor), address: err.address, way: d.way }, 'refused a From that is not the account\'s');
      throw err;
    }
    checkSize(built.raw.length);
    return built;
  };

  /** The rooms a built message goes to, post right checked where asked. */
  const roomsOf = (actor: Actor, built: Built, d: StoreRaw): number[] => {
    const roomnums = [...d.roomnums, ...(d.roomsFor?.(built.given) ?? [])];
    if (d.checkPost) for (const r of roomnums) requirePost(actor, r);
    if (roomnums.length === 0 && !d.remote?.length && !d.queue?.length) throw new CoreError('invalid', 'No recipients.');
    return roomnums;
  };

  /** The quota check for a built message; call inside store.write(), where writes run one at a time. */
  const checkQuotaInTxn = (built: Built, d: StoreRaw, roomnums: number[]): void => {
    // mail Keep composes itself (a bounce) still arrives: it says why other mail did not
    const hasOtherTargets = Boolean(d.remote?.length || d.queue?.length);
    if (d.author.kind === 'system') return;
    const recipients = d.ownCopy === undefined ? roomnums : roomnums.filter((r) => r !== d.ownCopy);
    deps.quota?.checkRooms(recipients, built.raw.length, { mode: d.isForRecipients ? 'any' : 'each', hasOtherTargets, ...(d.ownCopy !== undefined ? { ownCopy: d.ownCopy } : {}) });
  };

  /** Store one built message, place it in its rooms and queue its remote recipients; call inside store.write(). */
  const storeBuiltInTxn = (actor: Actor, built: Built, d: StoreRaw, roomnums: number[]): { rec: MessageRecord; placed: Placed[] } => {
    const roomName = roomnums[0] !== undefined ? deps.rooms.record(roomnums[0]).name : '';
    const recipients = [...built.parsed.envelope.to, ...built.parsed.envelope.cc].map((a) => a.address);
    const authorUser = built.isByAccount || d.author.kind === 'free' ? userOf(actor) : undefined;
    const msgnum = store.next('nextMessage');
    const rec = recordOf(msgnum, built, { format: 'rfc822', time: d.time ?? Date.now(), room: roomName, recipients, ...(authorUser !== undefined ? { authorUser } : {}) });
    const placed = storeMessageInTxn(ctx, rec, built.raw, built.parsed.text, roomnums);
    for (const to of d.remote ?? []) enqueueInTxn(msgnum, d.sender ?? rec.authorAddress ?? '', to);
    for (const q of d.queue ?? []) enqueueInTxn(msgnum, q.sender, q.recipient, q.listRoom);
    if (built.isByAccount) bumpPosted(actor);
    return { rec: { ...rec, refcount: placed.length }, placed };
  };

  /**
   * Build and store raw bytes once, placed in each room; remote recipients queued in the same
   * transaction. Durable on resolve; fires 'placed'. A From the author rule refuses is logged.
   */
  const storeRaw = async (actor: Actor, d: StoreRaw): Promise<Message> => {
    const built = await buildRaw(actor, d);
    const roomnums = roomsOf(actor, built, d);
    const { rec, placed } = await store.write(() => {
      checkQuotaInTxn(built, d, roomnums);
      return storeBuiltInTxn(actor, built, d, roomnums);
    });
    emitPlaced(placed);
    return toMessage(rec);
  };

  const delivering = {
    /**
     * Mail handed over by core's delivery (mail from outside, submission, bounces): rooms were
     * resolved by the caller as recipients, so no post right is checked. Submitted mail is
     * written by the actor (a foreign From refused); the rest keeps its own From.
     */
    async deliver(actor: Actor, d: RawDelivery): Promise<Message> {
      const author: AuthorRule = d.kind === 'submission' ? { kind: 'account', account: accountOf(actor), onForeignFrom: 'refuse' } : { kind: d.kind };
      return storeRaw(actor, { raw: d.raw, roomnums: d.roomnums, author, way: d.kind, isForRecipients: true, ...(d.sender !== undefined ? { sender: d.sender } : {}), ...(d.remote ? { remote: d.remote } : {}), ...(d.queue ? { queue: d.queue } : {}), ...(d.ownCopy !== undefined ? { ownCopy: d.ownCopy } : {}) });
    },
  };
  return { ...delivering, storeRaw, buildRaw, roomsOf, storeBuiltInTxn, buildText, recordOf, enqueueInTxn };
}

export type Delivering = ReturnType<typeof createDelivering>;
