// Messages: post text, deliver raw RFC 5322, read, list a room for a user, remove, copy, move.
// Single-instance store: one message, one placement per room that holds it.
import { type MessageRecord, type QueueRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { actorLabel, isAide } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';
import type { Rooms } from '../rooms/rooms.ts';
import type { Visits } from '../visits/visits.ts';
import type { Users } from '../users/users.ts';
import type { Recipients } from '../delivery/recipients.ts';
import { buildMessage, ForeignFromError, type Account, type AuthorRule, type Built } from '../mime/build.ts';
import type { HeaderIndex } from '../mime/header.ts';
import { toMessage, type ListWhich, type Message } from './message.ts';
import { placedNums, seenNums, unseenNums } from './room-list.ts';
import { placeInTxn, storeMessageInTxn, textOf, unplaceInTxn, purgeInTxn, type Placed } from './place.ts';

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

export interface RawDelivery {
  /** external: from another server (MX); submission: by the actor; system: composed by Keep */
  kind: 'external' | 'submission' | 'system';
  raw: Buffer;
  roomnums: number[];
  /** envelope sender as given (SMTP MAIL FROM), for display when no From header */
  sender?: string;
  /** remote recipients to queue for outbound delivery */
  remote?: string[];
}

interface StoreRaw {
  raw: Buffer;
  roomnums: number[];
  author: AuthorRule;
  /** which way in, for the log */
  way: string;
  /** check the actor's post right in every room (not for mail resolved as recipients) */
  checkPost?: boolean;
  sender?: string;
  remote?: string[];
  time?: number;
  newsHost?: string;
  roomsFor?: (h: HeaderIndex) => number[];
}

export interface MessagesDeps {
  audit: Audit;
  recipients: Recipients;
  rooms: Rooms;
  users: Users;
  visits: Visits;
}

const MAX_SUBJECT = 500;
/** message records read per turn when purge looks for messages past the soft-delete window */
const PURGE_SCAN_CHUNK = 5000;
/** messages a search reads per event-loop turn (each means reading its text) */
const SEARCH_SLICE = 1000;

export function createMessages(ctx: Ctx, deps: MessagesDeps) {
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

  const checkSize = (n: number) => {
    if (n > ctx.settings.maxMessageSize) throw new CoreError('too-big', `Message too big (limit ${ctx.settings.maxMessageSize} bytes).`);
  };

  const userOf = (actor: Actor) => (actor.kind === 'user' ? actor.usernum : undefined);

  const bumpPosted = (actor: Actor) => {
    if (actor.kind !== 'user') return;
    const u = dbs.users.get(actor.usernum);
    if (u) dbs.users.putSync(u.usernum, { ...u, posted: u.posted + 1 });
  };

  /**
   * Build and store raw bytes once, placed in each room; remote recipients queued in the same
   * transaction. Durable on resolve; fires 'placed'. A From the author rule refuses is logged.
   */
  const storeRaw = async (actor: Actor, d: StoreRaw): Promise<Message> => {
    checkSize(d.raw.length);
    let built: Built;
    try {
      built = await buildMessage({
        kind: 'raw', raw: d.raw, author: d.author, ...(d.sender !== undefined ? { envelopeSender: d.sender } : {}),
        ...(d.newsHost ? { newsHost: d.newsHost } : {}),
      }, { domain: ctx.settings.domain, now: Date.now() });
    } catch (err) {
      if (err instanceof ForeignFromError) ctx.log.warn({ user: actorLabel(actor), address: err.address, way: d.way }, 'refused a From that is not the account\'s');
      throw err;
    }
    checkSize(built.raw.length);
    const roomnums = [...d.roomnums, ...(d.roomsFor?.(built.given) ?? [])];
    if (d.checkPost) for (const r of roomnums) requirePost(actor, r);
    if (roomnums.length === 0 && !d.remote?.length) throw new CoreError('invalid', 'No recipients.');
    const roomName = roomnums[0] !== undefined ? deps.rooms.record(roomnums[0]).name : '';
    const recipients = [...built.parsed.envelope.to, ...built.parsed.envelope.cc].map((a) => a.address);
    const authorUser = built.isByAccount || d.author.kind === 'free' ? userOf(actor) : undefined;
    const { rec, placed } = await store.write(() => {
      const msgnum = store.next('nextMessage');
      const rec = recordOf(msgnum, built, { format: 'rfc822', time: d.time ?? Date.now(), room: roomName, recipients, ...(authorUser !== undefined ? { authorUser } : {}) });
      const placed = storeMessageInTxn(ctx, rec, built.raw, built.parsed.text, roomnums);
      for (const to of d.remote ?? []) enqueueInTxn(msgnum, d.sender ?? rec.authorAddress ?? '', to);
      if (built.isByAccount) bumpPosted(actor);
      return { rec: { ...rec, refcount: placed.length }, placed };
    });
    emitPlaced(placed);
    return toMessage(rec);
  };

  /** Is this room one of the actor's own mailboxes (nobody else reads it)? */
  const isOwnMailbox = (actor: Actor, roomnum: number) => {
    const room = deps.rooms.record(roomnum);
    return actor.kind === 'user' && room.kind === 'mailbox' && room.owners.length === 1 && room.owners[0] === actor.usernum;
  };

  const messages = {
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
        shown.push(target.address);
        if (target.kind === 'user') local.push(target.usernum);
        else if (target.kind === 'room') rooms.push(target.roomnum);
        else remote.push(target.address);
      }
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
     * is the actor, a foreign From is refused (forbidden). `roomsFor` adds the rooms the message
     * names itself (news: Newsgroups); `newsHost` adds a Path. Durable on resolve; fires 'placed'.
     */
    async postRaw(actor: Actor, p: { raw: Buffer; roomnums: number[]; newsHost?: string; roomsFor?: (h: HeaderIndex) => number[] }): Promise<Message> {
      if (actor.kind !== 'user') throw new CoreError('not-logged-in', 'Not logged in.');
      return storeRaw(actor, { ...p, author: { kind: 'account', account: accountOf(actor), onForeignFrom: 'refuse' }, way: p.newsHost ? 'news' : 'post', checkPost: true });
    },

    /**
     * Mail handed over by core's delivery (mail from outside, submission, bounces): rooms were
     * resolved by the caller as recipients, so no post right is checked. Submitted mail is
     * written by the actor (a foreign From refused); the rest keeps its own From.
     */
    async deliver(actor: Actor, d: RawDelivery): Promise<Message> {
      const author: AuthorRule = d.kind === 'submission' ? { kind: 'account', account: accountOf(actor), onForeignFrom: 'refuse' } : { kind: d.kind };
      return storeRaw(actor, { raw: d.raw, roomnums: d.roomnums, author, way: d.kind, ...(d.sender !== undefined ? { sender: d.sender } : {}), ...(d.remote ? { remote: d.remote } : {}) });
    },

    /** A message by number, if the actor may read a room that holds it (or the given room). */
    get(actor: Actor, msgnum: number, roomnum?: number): Message {
      return toMessage(readableRecord(actor, msgnum, roomnum));
    },

    /** The stored RFC 5322 bytes (text posts: their deterministic form). */
    raw(actor: Actor, msgnum: number, roomnum?: number): Buffer {
      messages.get(actor, msgnum, roomnum);
      return dbs.bodies.get(msgnum) ?? Buffer.alloc(0);
    },

    /** The plain text of a message: the body as posted, or the decoded best text part. */
    text(actor: Actor, msgnum: number, roomnum?: number): string {
      return messages.read(actor, msgnum, roomnum).text;
    },

    /** A message and its plain text, read and checked once (a reader's MSG4, say). */
    read(actor: Actor, msgnum: number, roomnum?: number): { message: Message; text: string } {
      const rec = readableRecord(actor, msgnum, roomnum);
      return { message: toMessage(rec), text: textOf(ctx, rec) };
    },

    /** Look a message up by its Message-ID (with or without brackets). */
    findByMessageId(actor: Actor, messageId: string): Message | undefined {
      const id = messageId.startsWith('<') ? messageId : `<${messageId}>`;
      const num = dbs.messageIds.get(id);
      if (num === undefined) return undefined;
      try {
        return messages.get(actor, num);
      } catch {
        return undefined; // not readable by this actor: as if absent
      }
    },

    /** Message numbers of a room for a user, ascending; NEW/OLD by the user's seen set. */
    list(actor: Actor, roomnum: number, which: ListWhich = { kind: 'all' }): number[] {
      const access = deps.rooms.access(actor, roomnum);
      if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const seen = () => (actor.kind === 'user' ? deps.visits.get(actor.usernum, roomnum).seen : []);
      switch (which.kind) {
        case 'all': return placedNums(dbs, roomnum);
        case 'new': return unseenNums(dbs, roomnum, seen());
        case 'old': return seenNums(dbs, roomnum, seen());
        case 'last': return which.n > 0 ? placedNums(dbs, roomnum, 0, undefined, { reverse: true, limit: which.n }).reverse() : [];
        case 'first': return which.n > 0 ? placedNums(dbs, roomnum, 0, undefined, { limit: which.n }) : [];
        case 'gt': return placedNums(dbs, roomnum, which.n + 1);
        case 'lt': return placedNums(dbs, roomnum, 0, which.n - 1);
      }
    },

    /**
     * A room's messages whose subject, author or text contains the words, in any case. Scans
     * SEARCH_SLICE messages per event-loop turn, so a search in a big room does not hold up
     * everyone else's commands.
     */
    async search(actor: Actor, roomnum: number, words: string, slice = SEARCH_SLICE): Promise<number[]> {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const needle = words.toLowerCase();
      const nums = placedNums(dbs, roomnum);
      const out: number[] = [];
      for (let i = 0; i < nums.length; i++) {
        if (i > 0 && i % slice === 0) await new Promise((r) => setImmediate(r));
        if (matches(nums[i]!, needle)) out.push(nums[i]!);
      }
      return out;
    },

    /** Placement data (arrival, modseq) of a message in a room. */
    placement(roomnum: number, msgnum: number) {
      return dbs.roomLists.get([roomnum, msgnum]);
    },

    /**
     * Remove messages from a room: room aides and aides anywhere, owners in their own
     * mailboxes, authors their own posts. The message goes with its last placement
     * (kept for the soft-delete window). Audited; fires 'removed'. Returns how many went.
     */
    async removeFromRoom(actor: Actor, roomnum: number, msgnums: number[]): Promise<number> {
      const access = deps.rooms.access(actor, roomnum);
      if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      for (const n of msgnums) {
        const rec = dbs.messages.get(n);
        const isAuthor = actor.kind === 'user' && rec?.authorUser === actor.usernum;
        if (!access.canDelete && !isAuthor) throw new CoreError('forbidden', 'Higher access required to delete this message.');
      }
      const room = deps.rooms.record(roomnum);
      const removed = await store.write(() => {
        const out = msgnums.map((n) => unplaceInTxn(ctx, roomnum, n)).filter((p): p is Placed => p !== undefined);
        if (out.length) deps.audit.recordInTxn(actor, 'message.delete', room.name, { msgnums: out.map((p) => p.msgnum) });
        return out;
      });
      for (const p of removed) ctx.events.emit('removed', p);
      return removed.length;
    },

    /**
     * Copy (or move) messages to another room the actor may post in. A message newer than
     * everything the room ever held keeps its number (single instance: one more placement);
     * an older one becomes a new message with the same bytes under a new number, so numbers in
     * a room only grow (IMAP UIDs must ascend, RFC 3501 §2.3.1.1). Returns each message's number
     * in the target room. Durable on resolve; fires 'placed' (and 'removed' for a move).
     */
    async copy(actor: Actor, from: number, to: number, msgnums: number[], opts: { isMove?: boolean } = {}): Promise<{ msgnum: number; copied: boolean; newMsgnum: number }[]> {
      const list = new Set(messages.list(actor, from));
      for (const n of msgnums) if (!list.has(n)) throw new CoreError('not-found', `Message ${n} was not found in this room.`);
      requirePost(actor, to);
      if (opts.isMove) {
        const access = deps.rooms.access(actor, from);
        const allAuthor = msgnums.every((n) => actor.kind === 'user' && dbs.messages.get(n)?.authorUser === actor.usernum);
        if (!access.canDelete && !allAuthor) throw new CoreError('forbidden', 'Higher access required to move messages out of this room.');
      }
      const fromRoom = deps.rooms.record(from);
      const toRoom = deps.rooms.record(to);
      const ascending = [...msgnums].sort((a, b) => a - b);
      const { results, removed } = await store.write(() => {
        const results = new Map<number, { newMsgnum: number; placed?: Placed }>();
        for (const n of ascending) {
          if (dbs.roomLists.get([to, n])) {
            results.set(n, { newMsgnum: n });
            continue;
          }
          const isNewest = n > (dbs.rooms.get(to)?.highest ?? 0);
          if (isNewest) {
            const placed = placeInTxn(ctx, to, n);
            results.set(n, { newMsgnum: n, ...(placed ? { placed } : {}) });
            continue;
          }
          const [placed] = cloneInTxn(n, to);
          results.set(n, { newMsgnum: placed!.msgnum, placed: placed! });
        }
        const removed = opts.isMove && from !== to ? msgnums.map((n) => unplaceInTxn(ctx, from, n)) : [];
        if (opts.isMove) deps.audit.recordInTxn(actor, 'message.move', fromRoom.name, { to: toRoom.name, msgnums });
        return { results, removed };
      });
      emitPlaced([...results.values()].map((r) => r.placed));
      for (const p of removed) if (p) ctx.events.emit('removed', p);
      return msgnums.map((n) => ({ msgnum: n, copied: results.get(n)?.placed !== undefined, newMsgnum: results.get(n)!.newMsgnum }));
    },

    /** Purge messages whose last placement went more than the window ago. Returns how many. */
    async purge(actor: Actor, now = Date.now(), scanChunk = PURGE_SCAN_CHUNK): Promise<number> {
      if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
      const due: number[] = [];
      // scanned in chunks with a turn of the event loop between them: a store of millions of
      // messages must not stall the worker past its heartbeat once an hour
      for (let from = 0, isDone = false; !isDone;) {
        isDone = true;
        for (const { key, value } of dbs.messages.getRange({ start: from, limit: scanChunk })) {
          if (value.refcount === 0 && value.deletedAt && now - value.deletedAt >= ctx.settings.softDeleteMs) due.push(key);
          from = key + 1;
          isDone = false;
        }
        if (!isDone) await new Promise((r) => setImmediate(r));
      }
      if (due.length === 0) return 0;
      return store.write(() => {
        // checked again: a message restored and deleted anew during the scan has a new window
        const purged = due.filter((n) => {
          const m = dbs.messages.get(n);
          return m !== undefined && m.refcount === 0 && m.deletedAt !== undefined && now - m.deletedAt >= ctx.settings.softDeleteMs;
        });
        purged.forEach((n) => purgeInTxn(ctx, n));
        if (purged.length) ctx.log.info({ count: purged.length, actor: actorLabel(actor) }, 'purged deleted messages');
        return purged.length;
      });
    },

    count(): number {
      return dbs.messages.getCount();
    },
  };

  /** Does a message's subject, author or text contain the needle (given in lower case)? */
  function matches(msgnum: number, needle: string): boolean {
    const rec = dbs.messages.get(msgnum);
    if (!rec) return false;
    return rec.subject.toLowerCase().includes(needle) || rec.authorName.toLowerCase().includes(needle)
      || textOf(ctx, rec).toLowerCase().includes(needle);
  }

  /** The stored record of a live message the actor may read (in the given room, if any). */
  function readableRecord(actor: Actor, msgnum: number, roomnum?: number): MessageRecord {
    const rec = dbs.messages.get(msgnum);
    if (!rec || rec.refcount === 0) throw new CoreError('not-found', `Message ${msgnum} not found.`);
    if (!canReadMessage(actor, msgnum, roomnum)) throw new CoreError('not-found', `Message ${msgnum} was not found in this room.`);
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

  /** The same message under a new number, placed in one room (copy into a room that has newer ones). */
  function cloneInTxn(msgnum: number, roomnum: number): Placed[] {
    const rec = dbs.messages.get(msgnum)!;
    const num = store.next('nextMessage');
    const copy: MessageRecord = { ...rec, msgnum: num, refcount: 0 };
    delete copy.deletedAt;
    delete copy.removedFrom;
    return storeMessageInTxn(ctx, copy, dbs.bodies.get(msgnum) ?? Buffer.alloc(0), dbs.texts.get(msgnum) ?? '', [roomnum]);
  }

  function enqueueInTxn(msgnum: number, sender: string, recipient: string): void {
    const now = Date.now();
    const rec: QueueRecord = { msgnum, recipient, sender, attempts: 0, firstAttempt: now, state: 'pending' };
    dbs.queue.putSync([now, msgnum, recipient], rec);
    // the queue holds a reference so the message is not purged before it is sent
    const m = dbs.messages.get(msgnum)!;
    dbs.messages.putSync(msgnum, { ...m, refcount: m.refcount + 1 });
  }

  return messages;
}

export type Messages = ReturnType<typeof createMessages>;
