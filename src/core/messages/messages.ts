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
import { ingest } from '../mime/ingest.ts';
import { renderTextPost } from '../mime/render.ts';
import { generateMessageId, toMessage, type ListWhich, type Message } from './message.ts';
import { placedNums, seenNums, unseenNums } from './room-list.ts';
import { placeInTxn, storeMessageInTxn, textOf, uidNextOf, unplaceInTxn, purgeInTxn, type Placed } from './place.ts';

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
  raw: Buffer;
  roomnums: number[];
  /** envelope sender as given (SMTP MAIL FROM), for display when no From header */
  sender?: string;
  /** remote recipients to queue for outbound delivery */
  remote?: string[];
  /** mark seen/flags for the acting user (IMAP APPEND) */
  time?: number;
}

export interface MessagesDeps {
  audit: Audit;
  rooms: Rooms;
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

  const authorOf = (actor: Actor) => {
    if (actor.kind === 'system') return { name: ctx.settings.humanNode, address: `postmaster@${ctx.settings.domain}` };
    const u = dbs.users.get(actor.usernum);
    return { name: actor.name, address: u?.addresses[0] ?? `${actor.name}@${ctx.settings.domain}`, usernum: actor.usernum };
  };

  const requirePost = (actor: Actor, roomnum: number) => {
    const access = deps.rooms.access(actor, roomnum);
    if (!access.canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
    if (!access.canPost) throw new CoreError('forbidden', 'Higher access required to post in this room.');
  };

  /** Build the record and bytes of a text post (deterministic RFC 5322 form). */
  const buildText = (actor: Actor, msgnum: number, post: { text: string; subject: string; references: string[]; to?: string[]; room: string; textFormat?: number; isChat?: boolean; authorName?: string }) => {
    const time = Date.now();
    const author = authorOf(actor);
    const authorName = post.authorName && isAide(actor) ? post.authorName : author.name;
    const messageId = generateMessageId(msgnum, time, ctx.settings.domain);
    const refs = post.references.map((r) => (r.startsWith('<') ? r : `<${r}>`));
    const inReplyTo = refs.at(-1);
    const headers = { time, fromName: authorName, fromAddress: author.address, subject: post.subject, messageId, references: refs, ...(post.to ? { to: post.to } : {}), ...(inReplyTo ? { inReplyTo } : {}) };
    const raw = renderTextPost(headers, post.text);
    const bodyStart = raw.indexOf('\r\n\r\n') + 4;
    const lines = post.text === '' ? 0 : post.text.replace(/\r?\n$/, '').split(/\r?\n/).length;
    const addr = { name: authorName, address: author.address };
    const rec: MessageRecord = {
      msgnum, format: 'text', time, authorName, authorAddress: author.address, subject: post.subject, messageId,
      references: refs, recipients: post.to ?? [], originRoom: post.room, size: raw.length, lines, refcount: 0,
      textFormat: post.textFormat ?? 1,
      envelope: { date: new Date(time).toUTCString(), subject: post.subject, from: [addr], sender: [addr], replyTo: [addr], to: (post.to ?? []).map((a) => ({ address: a })), cc: [], bcc: [], messageId, ...(inReplyTo ? { inReplyTo } : {}) },
      bodyStructure: { type: 'text', subtype: 'plain', params: { charset: 'utf-8' }, encoding: '8bit', headerStart: 0, bodyStart, end: raw.length, lines },
      headers: [], bodyOffset: bodyStart,
    };
    if (author.usernum !== undefined) rec.authorUser = author.usernum;
    if (inReplyTo) rec.inReplyTo = inReplyTo;
    if (post.isChat) rec.isChat = true;
    return { rec, raw };
  };

  const checkSize = (n: number) => {
    if (n > ctx.settings.maxMessageSize) throw new CoreError('too-big', `Message too big (limit ${ctx.settings.maxMessageSize} bytes).`);
  };

  const bumpPosted = (actor: Actor) => {
    if (actor.kind !== 'user') return;
    const u = dbs.users.get(actor.usernum);
    if (u) dbs.users.putSync(u.usernum, { ...u, posted: u.posted + 1 });
  };

  const messages = {
    /** Post a text message into a room the actor may post in; durable on resolve; fires 'placed'. */
    async post(actor: Actor, p: TextPost): Promise<Message> {
      requirePost(actor, p.roomnum);
      checkSize(Buffer.byteLength(p.text));
      const room = deps.rooms.record(p.roomnum);
      const subject = (p.subject ?? '').slice(0, MAX_SUBJECT);
      const { rec, placed } = await store.write(() => {
        const msgnum = store.next('nextMessage');
        const { rec, raw } = buildText(actor, msgnum, { text: p.text, subject, references: p.references ?? [], room: room.name, ...(p.textFormat !== undefined ? { textFormat: p.textFormat } : {}), ...(p.isChat ? { isChat: true } : {}), ...(p.authorName ? { authorName: p.authorName } : {}) });
        const [placed] = storeMessageInTxn(ctx, rec, raw, p.text, [p.roomnum]);
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
      for (const r of m.to) {
        const target = resolveRecipient(r);
        if (target.kind === 'user') { local.push(target.usernum); shown.push(target.address); }
        else if (target.kind === 'remote') { remote.push(target.address); shown.push(target.address); }
        else throw new CoreError('not-found', `No such user '${r}'.`);
      }
      const inboxes = local.map((u) => deps.rooms.mailbox(u, 'inbox').roomnum);
      const sent = deps.rooms.mailbox(actor.usernum, 'sent').roomnum;
      const author = authorOf(actor);
      const { rec, placed } = await store.write(() => {
        const msgnum = store.next('nextMessage');
        const { rec, raw } = buildText(actor, msgnum, { text: m.text, subject: (m.subject ?? '').slice(0, MAX_SUBJECT), references: m.references ?? [], to: shown, room: 'Mail', ...(m.textFormat !== undefined ? { textFormat: m.textFormat } : {}) });
        const placed = storeMessageInTxn(ctx, rec, raw, m.text, [...inboxes, sent]);
        for (const to of remote) enqueueInTxn(msgnum, author.address, to);
        bumpPosted(actor);
        return { rec: { ...rec, refcount: placed.length }, placed };
      });
      emitPlaced(placed);
      return toMessage(rec);
    },

    /**
     * Store raw RFC 5322 bytes once and place them in each given room (SMTP delivery,
     * IMAP APPEND, NNTP POST). The caller has resolved recipients; access is checked here
     * for user actors (post right in each room). Durable on resolve; fires 'placed'.
     */
    async deliver(actor: Actor, d: RawDelivery): Promise<Message> {
      checkSize(d.raw.length);
      if (actor.kind === 'user') for (const r of d.roomnums) requirePost(actor, r);
      if (d.roomnums.length === 0 && !d.remote?.length) throw new CoreError('invalid', 'No recipients.');
      const parsed = await ingest(d.raw);
      const roomName = d.roomnums[0] !== undefined ? deps.rooms.record(d.roomnums[0]).name : '';
      const { rec, placed } = await store.write(() => {
        const msgnum = store.next('nextMessage');
        const time = d.time ?? Date.now();
        const from = parsed.from[0];
        const messageId = parsed.messageId ?? generateMessageId(msgnum, time, ctx.settings.domain);
        const rec: MessageRecord = {
          msgnum, format: 'rfc822', time, authorName: from?.name || from?.address || d.sender || 'unknown',
          subject: parsed.subject, messageId, references: parsed.references, recipients: [...parsed.envelope.to, ...parsed.envelope.cc].map((a) => a.address),
          originRoom: roomName, size: d.raw.length, lines: parsed.lines, refcount: 0, envelope: parsed.envelope,
          bodyStructure: parsed.bodyStructure, headers: parsed.headers, bodyOffset: parsed.bodyOffset,
        };
        const authorAddress = from?.address ?? d.sender;
        if (authorAddress) rec.authorAddress = authorAddress;
        if (parsed.inReplyTo) rec.inReplyTo = parsed.inReplyTo;
        if (actor.kind === 'user') rec.authorUser = actor.usernum;
        const placed = storeMessageInTxn(ctx, rec, d.raw, parsed.text, d.roomnums);
        for (const to of d.remote ?? []) enqueueInTxn(msgnum, d.sender ?? authorAddress ?? '', to);
        return { rec: { ...rec, refcount: placed.length }, placed };
      });
      emitPlaced(placed);
      return toMessage(rec);
    },

    /** A message by number, if the actor may read a room that holds it (or the given room). */
    get(actor: Actor, msgnum: number, roomnum?: number): Message {
      return toMessage(readableRecord(actor, msgnum, roomnum));
    },

    /**
     * A message just removed from a room the actor can still read, while it is kept for the
     * soft-delete window: IMAP answers a FETCH of a message another session expunged with its
     * data (RFC 2180 §4.1.3). undefined when it was not removed from that room or is gone.
     */
    removedFrom(actor: Actor, msgnum: number, roomnum: number): { message: Message; raw: Buffer } | undefined {
      const rec = dbs.messages.get(msgnum);
      if (!rec || !rec.removedFrom?.includes(roomnum) || !deps.rooms.access(actor, roomnum).canRead) return undefined;
      return { message: toMessage(rec), raw: dbs.bodies.get(msgnum) ?? Buffer.alloc(0) };
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

    /** Placement data (arrival, modseq, number in the room) of a message in a room. */
    placement(roomnum: number, msgnum: number): { arrived: number; modseq: number; uid: number } | undefined {
      const p = dbs.roomLists.get([roomnum, msgnum]);
      return p && { arrived: p.arrived, modseq: p.modseq, uid: p.uid ?? msgnum };
    },

    /**
     * A room's placements with their numbers in the room (IMAP UIDs), ascending by that number.
     * The number is the room's own count of placements, so it says in which order messages
     * came into the room; the message number stays the message's identity everywhere.
     */
    placements(actor: Actor, roomnum: number): { msgnum: number; uid: number }[] {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const out: { msgnum: number; uid: number }[] = [];
      let isSorted = true;
      for (const { key, value } of dbs.roomLists.getRange({ start: [roomnum, 0], end: [roomnum, Number.MAX_SAFE_INTEGER] })) {
        const msgnum = (key as [number, number])[1];
        const uid = value.uid ?? msgnum;
        if (out.length && uid < out[out.length - 1]!.uid) isSorted = false;
        out.push({ msgnum, uid });
      }
      return isSorted ? out : out.sort((a, b) => a.uid - b.uid);
    },

    /** The number the next placement in a room will get (IMAP UIDNEXT). */
    uidNext(actor: Actor, roomnum: number): number {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      return uidNextOf(ctx, roomnum);
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
     * Copy (or move) messages to a room the actor may post in. A message newer than
     * everything the room ever held keeps its number (single instance: one more placement);
     * an older one becomes a new message with the same bytes under a new number, so message
     * numbers in a room only grow (NNTP article numbers). Into the same room, a copy is a new
     * message and a move gives the message a new number and placement there (IMAP MOVE renumbers).
     * Returns each message's number in the target room and its placement number there (its
     * UID). Durable on resolve; fires 'placed' (and 'removed' for a move).
     */
    async copy(actor: Actor, from: number, to: number, msgnums: number[], opts: { isMove?: boolean } = {}): Promise<{ msgnum: number; copied: boolean; newMsgnum: number; uid: number }[]> {
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
        const results = new Map<number, { newMsgnum: number; uid: number; placed?: Placed }>();
        for (const n of ascending) {
          const there = from !== to ? dbs.roomLists.get([to, n]) : undefined;
          if (there) {
            results.set(n, { newMsgnum: n, uid: there.uid ?? n });
            continue;
          }
          const isNewest = n > (dbs.rooms.get(to)?.highest ?? 0);
          if (isNewest) {
            const placed = placeInTxn(ctx, to, n)!;
            results.set(n, { newMsgnum: n, uid: placed.uid, placed });
            continue;
          }
          const [placed] = cloneInTxn(n, to);
          results.set(n, { newMsgnum: placed!.msgnum, uid: placed!.uid, placed: placed! });
        }
        const removed = opts.isMove ? msgnums.map((n) => unplaceInTxn(ctx, from, n)) : [];
        if (opts.isMove) deps.audit.recordInTxn(actor, 'message.move', fromRoom.name, { to: toRoom.name, msgnums });
        return { results, removed };
      });
      emitPlaced([...results.values()].map((r) => r.placed));
      for (const p of removed) if (p) ctx.events.emit('removed', p);
      return msgnums.map((n) => ({ msgnum: n, copied: results.get(n)?.placed !== undefined, newMsgnum: results.get(n)!.newMsgnum, uid: results.get(n)!.uid }));
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

  type Target = { kind: 'user'; usernum: number; address: string } | { kind: 'room'; roomnum: number } | { kind: 'remote'; address: string } | { kind: 'unknown' };

  /** A recipient: a user name, a local address (user or room list), or a remote address. */
  function resolveRecipient(r: string): Target {
    const s = r.trim();
    const at = s.lastIndexOf('@');
    const localDomains = [ctx.settings.domain, ...ctx.settings.localDomains].map((d) => d.toLowerCase());
    if (at > 0 && !localDomains.includes(s.slice(at + 1).toLowerCase())) return { kind: 'remote', address: s };
    const num = dbs.userNames.get(s.toLowerCase()) ?? (at > 0 ? dbs.userNames.get(s.slice(0, at).toLowerCase()) : undefined);
    const u = num === undefined ? undefined : dbs.users.get(num);
    if (u && u.level > 0) return { kind: 'user', usernum: u.usernum, address: u.addresses[0] ?? s };
    if (at > 0) {
      const local = s.slice(0, at).toLowerCase();
      for (const { value: room } of dbs.rooms.getRange()) {
        if (!room.deletedAt && room.listAddress && room.listAddress.toLowerCase() === local) return { kind: 'room', roomnum: room.roomnum };
      }
    }
    return { kind: 'unknown' };
  }

  return { ...messages, resolveRecipient };
}

export type Messages = ReturnType<typeof createMessages>;
