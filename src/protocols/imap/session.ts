// One IMAP connection (RFC 3501 §3): the state machine, command dispatch in arrival order
// (pipelining), continuations (literals, IDLE, SASL) as phases, untagged updates from core
// events, and IMAP's limits (literal size, bad commands, failed logins). The byte plumbing
// (TLS, DEFLATE, backpressure, fair turns, idle and slow-line timers) is the session kit's.
import type { Socket } from 'node:net';
import { SessionKit, kitLimits, type CutReason } from '../../net/session-kit.ts';
import { mayAuthenticateInClear } from '../../net/loopback.ts';
import type { Core, Room, PresenceHandle } from '../../core/index.ts';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';
import type { Metrics } from '../../net/metrics.ts';
import type { TlsMaterial } from '../../net/tls.ts';
import { Framer, type FramerEvent } from './framer.ts';
import { decodeMailboxName, parseCommand, ParseError, type Command, type Frame } from './parser.ts';
import { mapError, type Reply } from './errors.ts';
import { mailboxName, seqSetString, tagged } from './render.ts';
import { SelectedMailbox } from './mailbox.ts';
import { Compression } from './compression.ts';
import type { MessageCache } from './message-cache.ts';
import type { ModseqIndex } from './modseq.ts';
import type { RecentIndex } from './recent.ts';
import { COMMANDS } from './commands/index.ts';
import type { Authed, Continuation, Needs, Selected, SessionApi, UserActor } from './commands/types.ts';
import { Notifier, type NotifySpec } from './notify.ts';
import { statusLine } from './commands/status.ts';
import { fetch } from './commands/fetch.ts';

type Phase =
  | { name: 'not-authenticated' }
  | { name: 'authenticated'; actor: UserActor }
  | { name: 'selected'; actor: UserActor; box: SelectedMailbox }
  /** IDLE or an AUTHENTICATE exchange: client lines go to the continuation, not the table */
  | { name: 'continuation'; c: Continuation; resume: Exclude<Phase, { name: 'continuation' } | { name: 'logout' }> }
  | { name: 'logout' };

export interface SessionDeps {
  core: Core;
  config: Config;
  log: Logger;
  tls: TlsMaterial;
  metrics: Metrics;
  cache: MessageCache;
  modseqs: ModseqIndex;
  recent: RecentIndex;
}

/** Commands during which EXPUNGE must not be sent (RFC 3501 §7.4.1). */
const NO_EXPUNGE = new Set(['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD']);
/** Literals outside APPEND carry names, passwords and search strings. */
const SMALL_LITERAL = 64 * 1024;

/** How often an idling client is told the server is still there (Dovecot's default too). */
const IDLE_NOTICE_MS = 2 * 60_000;
/** Pipelined commands held before the socket stops being read. */
const MAX_QUEUED = 50;

/** a client command, a reply decided while framing, or owed NOTIFY responses (RFC 5465) */
type Item = { frame: Frame } | { reply: string } | { notify: true };

let nextCid = 1;

export class Session implements SessionApi {
  readonly core: Core;
  readonly config: Config;
  log: Logger;
  readonly origin: string;
  readonly cache: MessageCache;
  /** CONDSTORE enabled (ENABLE, SELECT (CONDSTORE) or a CONDSTORE command) */
  isCondstore = false;
  /** QRESYNC enabled (ENABLE QRESYNC) */
  isQresync = false;
  /** IMAP4rev2 enabled (ENABLE IMAP4rev2, RFC 9051 §6.3.1) */
  isRev2 = false;
  /** UTF8=ACCEPT enabled: mailbox names in UTF-8, APPEND's UTF8 data item (RFC 6855) */
  isUtf8 = false;
  private readonly isClearAuthAllowed: boolean;
  private phase: Phase = { name: 'not-authenticated' };
  private readonly kit: SessionKit<Item>;
  private framer: Framer;
  private badCommands = 0;
  private authFailures = 0;
  private idleNotice: NodeJS.Timeout | undefined;
  private readonly presence: PresenceHandle;
  private wantsTls = false;
  private wantsCompression = false;
  private isCleanedUp = false;
  /** NOTIFY's watch (RFC 5465), while set */
  private notifier: Notifier | undefined;
  private isNotifyQueued = false;
  /** UIDs of new messages whose MessageNew fetch attributes are owed */
  private unfetched: number[] = [];

  constructor(socket: Socket, private readonly deps: SessionDeps, private readonly opts: { isImplicitTls: boolean; onClose: (s: Session) => void }) {
    this.core = deps.core;
    this.config = deps.config;
    this.cache = deps.cache;
    const cid = nextCid++;
    this.origin = `imap:${socket.remoteAddress ?? 'unknown'}`;
    this.isClearAuthAllowed = mayAuthenticateInClear(socket.remoteAddress, deps.config);
    this.log = deps.log.child({ proto: 'imap', cid, host: socket.remoteAddress });
    this.presence = deps.core.presence.open({ proto: 'imap', host: socket.remoteAddress ?? '' });
    this.framer = this.newFramer();
    const c = deps.config;
    this.kit = new SessionKit<Item>({
      socket, proto: 'imap', cid, log: this.log, tls: deps.tls, isImplicitTls: opts.isImplicitTls, encoding: 'latin1',
      limits: kitLimits(c, { idleSeconds: c.imapIdleTimeout, maxQueued: MAX_QUEUED }),
      hooks: {
        frame: (chunk) => this.receive(chunk),
        run: (item) => this.runItem(item),
        farewell: (why) => `* BYE ${farewell(why, c.commandTimeout)}\r\n`,
        closed: () => this.cleanup(),
      },
    });
    this.write(`* OK [CAPABILITY ${this.capabilities()}] ${deps.config.humanNode} IMAP4rev1 ready\r\n`);
  }

  // ---- the narrow API handlers see ----

  get actor(): UserActor | undefined {
    const p = this.phase.name === 'continuation' ? this.phase.resume : this.phase;
    return p.name === 'authenticated' || p.name === 'selected' ? p.actor : undefined;
  }

  get recent(): RecentIndex {
    return this.deps.recent;
  }

  get isTls(): boolean {
    return this.kit.isTls;
  }

  get isCompressed(): boolean {
    return this.kit.hasCodec;
  }

  get box(): SelectedMailbox | undefined {
    const p = this.phase.name === 'continuation' ? this.phase.resume : this.phase;
    return p.name === 'selected' ? p.box : undefined;
  }

  /** Passwords travel only over TLS, or in the clear on loopback if allowed (RFC 3501 §6.2.3 LOGINDISABLED). */
  get mayAuthenticate(): boolean {
    return this.isTls || this.isClearAuthAllowed;
  }

  capabilities(): string {
    const caps = ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE', 'NAMESPACE', 'UIDPLUS', 'MOVE', 'UNSELECT', 'SPECIAL-USE', 'CHILDREN', 'CONDSTORE', 'QRESYNC', 'SORT'];
    caps.push('ESEARCH'); // RFC 4731: SEARCH RETURN (…)
    caps.push('SEARCHRES'); // RFC 5182: RETURN (SAVE) and $
    caps.push('WITHIN'); // RFC 5032: OLDER, YOUNGER
    caps.push('THREAD=REFERENCES', 'THREAD=ORDEREDSUBJECT'); // RFC 5256
    caps.push('SORT=DISPLAY'); // RFC 5957
    caps.push('ESORT'); // RFC 5267 §3
    caps.push('CONTEXT=SEARCH'); // RFC 5267 §4: PARTIAL, UPDATE, CANCELUPDATE
    caps.push('CONTEXT=SORT'); // RFC 5267 §4 for SORT
    caps.push('BINARY'); // RFC 3516
    caps.push('MULTIAPPEND'); // RFC 3502
    caps.push(`APPENDLIMIT=${this.config.maxMessageSize}`); // RFC 7889: the limit every folder has
    caps.push('QUOTA', 'QUOTA=RES-STORAGE'); // RFC 9208
    caps.push('CATENATE'); // RFC 4469
    caps.push('UTF8=ACCEPT'); // RFC 6855
    caps.push('LIST-EXTENDED'); // RFC 5258
    caps.push('LIST-STATUS'); // RFC 5819
    caps.push('STATUS=SIZE'); // RFC 8438
    caps.push('OBJECTID'); // RFC 8474
    caps.push('SAVEDATE'); // RFC 8514
    caps.push('PREVIEW'); // RFC 8970
    caps.push('NOTIFY'); // RFC 5465
    if (!this.kit.hasCodec) caps.push('COMPRESS=DEFLATE');
    if (!this.actor) {
      if (!this.isTls) caps.push('STARTTLS');
      caps.push(...(this.mayAuthenticate ? ['AUTH=PLAIN'] : ['LOGINDISABLED']));
    }
    return caps.join(' ');
  }

  send(data: string | Buffer): void {
    this.kit.send(data);
  }

  /** Between parts of a large answer: other sessions take their turn, a client behind is waited for. */
  drain(): Promise<void> {
    return this.kit.pace();
  }

  get isTurnOver(): boolean {
    return this.kit.isTurnOver;
  }

  login(actor: UserActor): void {
    this.phase = { name: 'authenticated', actor };
    this.presence.update({ usernum: actor.usernum, name: actor.name });
    this.log = this.log.child({ user: actor.name });
    this.kit.setUser(actor.name);
  }

  openMailbox(room: Room, name: string, isReadOnly: boolean): SelectedMailbox {
    const actor = this.actor;
    if (!actor) throw new Error('openMailbox without a user');
    const box = new SelectedMailbox(this.core, actor, room, name, isReadOnly, () => this.onMailboxChange(), this.deps.modseqs, this.deps.recent, this.isRev2);
    box.isCondstore = this.isCondstore;
    box.isQresync = this.isQresync;
    return box;
  }

  select(box: SelectedMailbox | undefined): void {
    const actor = this.actor;
    if (!actor) return;
    this.box?.close();
    this.unfetched = [];
    this.phase = box ? { name: 'selected', actor, box } : { name: 'authenticated', actor };
    this.presence.update({ room: box?.room.name ?? '' });
  }

  enableCondstore(): void {
    const box = this.box;
    // RFC 7162 §3.1: a CONDSTORE enabling command other than SELECT tells the mailbox's HIGHESTMODSEQ
    if (box && !this.isCondstore) this.send(`* OK [HIGHESTMODSEQ ${box.highestModseq()}] Highest\r\n`);
    this.isCondstore = true;
    if (box) box.isCondstore = true;
  }

  enableQresync(): void {
    this.enableCondstore();
    this.isQresync = true;
    const box = this.box;
    if (box) box.isQresync = true;
  }

  enableUtf8(): void {
    this.isUtf8 = true;
  }

  /** A mailbox name on the wire: UTF-8 under UTF8=ACCEPT or IMAP4rev2 (RFC 6855 §3, RFC 9051 §5.1), else modified UTF-7. */
  wireName(name: string): string {
    return mailboxName(name, this.isUtf8 || this.isRev2);
  }

  nameFromWire(name: string): string {
    return decodeMailboxName(name, this.isUtf8 || this.isRev2);
  }

  enableRev2(): void {
    this.isRev2 = true;
  }

  startTls(): void {
    this.wantsTls = true;
  }

  startCompression(): void {
    this.wantsCompression = true;
  }

  awaitContinuation(c: Continuation): void {
    const p = this.phase;
    if (p.name === 'continuation' || p.name === 'logout') return;
    this.phase = { name: 'continuation', c, resume: p };
    // an idling client hears something now and then, so NAT and firewall state stays alive
    if (c.kind === 'idle') this.idleNotice = setInterval(() => this.write('* OK Still here\r\n'), IDLE_NOTICE_MS);
  }

  logout(): void {
    this.box?.close();
    this.phase = { name: 'logout' };
  }

  noteAuthFailure(): void {
    this.authFailures += 1;
  }

  /** Say goodbye (server shutdown) and close. */
  bye(text: string): void {
    if (this.kit.isClosed) return;
    this.kit.end(`* BYE ${text}\r\n`);
    this.cleanup();
  }

  // ---- input ----

  private newFramer(): Framer {
    const maxLine = this.config.imapMaxLineLength;
    const maxMessage = this.config.maxMessageSize;
    return new Framer({
      maxLine,
      maxLiteral: (first) => (/^\S+ (UID )?APPEND /i.test(first) ? maxMessage : Math.max(SMALL_LITERAL, maxLine)),
    });
  }

  /** Bytes → queued items; a literal's "+" goes out at once, before the command runs. */
  private receive(chunk: Buffer): Item[] {
    let events: FramerEvent[];
    try {
      events = this.framer.push(chunk);
    } catch (err) {
      this.log.error({ err }, 'framing failed');
      this.bye('Internal error');
      return [];
    }
    const items: Item[] = [];
    for (const ev of events) {
      switch (ev.kind) {
        case 'frame': items.push({ frame: ev.frame }); break;
        case 'continue': this.write('+ Ready for literal data\r\n'); break;
        case 'line-too-long': this.bye('Command line too long'); return [];
        case 'literal-too-big':
          if (!ev.isSync) {
            this.bye(`Literal of ${ev.size} bytes is over the limit`);
            return [];
          }
          this.badCommands += 1;
          items.push({ reply: tagged(safeTag(ev.tag), { status: 'NO', code: 'TOOBIG', text: `Literal of ${ev.size} bytes is over the limit` }) });
          break;
      }
    }
    return items;
  }

  private async runItem(item: Item): Promise<void> {
    if ('notify' in item) {
      try {
        return await this.deliverNotifications();
      } catch (err) {
        // an owed notification that cannot be rendered (the folder just went away) costs the client that notice, not the session
        if (mapError(err).isBug) this.log.error({ err }, 'notification failed');
        else this.log.debug({ err }, 'notification dropped');
        return;
      }
    }
    if ('reply' in item) this.write(item.reply);
    else await this.handleFrame(item.frame);
    if (this.badCommands >= this.config.imapMaxBadCommands) return this.bye('Too many bad commands');
    if (this.authFailures >= this.config.authFailureLimit) return this.bye('Too many failed logins');
  }

  private async handleFrame(frame: Frame): Promise<void> {
    if (this.phase.name === 'continuation') {
      this.kit.doing(this.phase.c.kind === 'idle' ? 'IDLE' : 'AUTHENTICATE');
      return this.continueWith(this.phase.c, this.phase.resume, frame);
    }
    let cmd: Command;
    try {
      cmd = parseCommand(frame);
    } catch (err) {
      this.badCommands += 1;
      const tag = err instanceof ParseError && err.tag ? safeTag(err.tag) : '*';
      return this.write(tagged(tag, { status: 'BAD', text: (err as Error).message }));
    }
    this.kit.doing(`${cmd.tag} ${cmd.name}`.slice(0, 80));
    const entry = COMMANDS[cmd.name];
    if (!entry) {
      this.badCommands += 1;
      return this.write(tagged(cmd.tag, { status: 'BAD', text: `Unknown command ${cmd.name.slice(0, 30)}` }));
    }
    if (!this.allows(entry.needs)) {
      this.badCommands += 1;
      return this.write(tagged(cmd.tag, { status: 'BAD', text: `${cmd.name} is not valid in this state` }));
    }
    this.deps.metrics.inc('keep_imap_commands_total', 'IMAP commands', { cmd: cmd.name });
    let outcome;
    try {
      outcome = await (entry.run as (s: Session, c: typeof cmd) => Promise<Reply | 'pending'>)(this, cmd);
    } catch (err) {
      outcome = this.mapped(err, cmd.name);
    }
    if (outcome === 'pending') {
      this.kit.flush();
      return;
    }
    if (outcome.status === 'BAD') this.badCommands += 1;
    this.finish(cmd.tag, outcome, !NO_EXPUNGE.has(cmd.name));
  }

  private mapped(err: unknown, cmd: string): Reply {
    const m = mapError(err);
    // every refusal is logged with who asked and from where (the child logger carries both)
    if (m.isBug) this.log.error({ err, cmd }, 'command failed');
    else this.log.info({ cmd, status: m.status, code: m.code, why: m.text }, 'refused');
    const { isBug: _b, ...reply } = m;
    return reply;
  }

  /** Untagged updates, then the tagged completion; then what the command set in motion. */
  private finish(tag: string, reply: Reply, mayExpunge: boolean): void {
    const box = this.box;
    if (box && this.phase.name === 'selected') {
      const before = box.exists;
      for (const l of box.updates(mayExpunge)) this.send(l);
      this.noteNew(box, before);
    }
    if (this.notifier && this.actor) for (const l of this.notifier.take()) this.send(l);
    this.send(tagged(tag, reply));
    this.kit.flush();
    if (this.wantsTls) this.upgrade();
    if (this.wantsCompression) this.compress();
    if (this.phase.name === 'logout') this.end();
  }

  private async continueWith(c: Continuation, resume: Exclude<Phase, { name: 'continuation' } | { name: 'logout' }>, frame: Frame): Promise<void> {
    const line = frame.lines.join('');
    this.phase = resume;
    this.stopIdleNotice();
    if (c.kind === 'idle') {
      const isDone = line.toUpperCase() === 'DONE';
      if (!isDone) this.badCommands += 1;
      return this.finish(c.tag, isDone ? { status: 'OK', text: 'IDLE terminated' } : { status: 'BAD', text: 'Expected DONE' }, true);
    }
    let reply: Reply;
    try {
      reply = line === '*' ? { status: 'BAD', text: 'Authentication cancelled' } : await c.finish(line);
    } catch (err) {
      reply = this.mapped(err, 'AUTHENTICATE');
    }
    this.finish(c.tag, reply, true);
  }

  private allows(needs: Needs): boolean {
    const p = this.phase.name;
    switch (needs) {
      case 'any': return true;
      case 'not-authenticated': return p === 'not-authenticated';
      case 'authenticated': return p === 'authenticated' || p === 'selected';
      case 'selected': return p === 'selected';
    }
  }

  /** A change arrived for the selected mailbox: an idling client hears it at once. */
  private onMailboxChange(): void {
    if (this.notifier) return this.scheduleNotify();
    if (this.phase.name !== 'continuation' || this.phase.c.kind !== 'idle') return;
    const box = this.box;
    if (!box) return;
    for (const l of box.updates(true)) this.send(l);
    this.kit.flush();
  }

  /** NOTIFY SET: watch what the spec says from now on (replacing any earlier spec); NONE: stop. */
  notify(spec: NotifySpec | undefined): Notifier | undefined {
    this.notifier?.close();
    this.notifier = undefined;
    const actor = this.actor;
    if (!spec || !actor) return undefined;
    this.notifier = new Notifier(this.core, actor, spec, {
      statusLine: (f, items) => statusLine(this as Authed, f, items),
      wireName: (name) => this.wireName(name),
      selectedRoom: () => this.box?.room.roomnum,
      isCondstore: () => this.isCondstore,
      onChange: () => this.scheduleNotify(),
      onError: (err) => this.log.error({ err }, 'NOTIFY watch failed'),
    });
    return this.notifier;
  }

  /** Owed notifications go out in turn with commands: once the running one has answered. */
  private scheduleNotify(): void {
    if (this.isNotifyQueued) return;
    this.isNotifyQueued = true;
    this.kit.enqueue({ notify: true });
  }

  /**
   * What NOTIFY owes, sent between commands (RFC 5465 §3): the selected mailbox's updates when
   * SELECTED is watched (SELECTED-DELAYED keeps EXPUNGE for a command that allows it) or the
   * client idles, MessageNew's fetch attributes for new messages, and other folders' STATUS/LIST.
   */
  private async deliverNotifications(): Promise<void> {
    this.isNotifyQueued = false;
    const n = this.notifier;
    const p = this.phase;
    const isIdle = p.name === 'continuation' && p.c.kind === 'idle';
    if (!n || !this.actor || (p.name === 'continuation' && !isIdle)) return;
    const box = this.box;
    // SELECTED with events (MessageNew comes with MessageExpunge, FlagChange needs both); (SELECTED NONE) waits for commands
    const sel = n.selected?.events.has('MessageNew') ? n.selected : undefined;
    if (box && (isIdle || sel)) {
      const before = box.exists;
      for (const l of box.updates(isIdle || !sel!.isDelayed)) this.send(l);
      this.noteNew(box, before);
    }
    for (const l of n.take()) this.send(l);
    const uids = this.unfetched;
    this.unfetched = [];
    if (box && sel?.fetch && uids.length) await fetch(this as Selected, { set: seqSetString(uids), items: sel.fetch, isUid: true });
    this.kit.flush();
  }

  /** New messages told by EXISTS get MessageNew's fetch attributes next (RFC 5465 §5.1), by UID. */
  private noteNew(box: SelectedMailbox, before: number): void {
    if (!this.notifier?.selected?.fetch || box.exists <= before) return;
    for (let i = before; i < box.uids.length; i++) this.unfetched.push(box.uids[i]!); // no spread: it can be 100,000s
    this.scheduleNotify();
  }

  // ---- output, TLS, timers, close ----

  private write(text: string): void {
    this.kit.write(text);
  }

  private upgrade(): void {
    this.wantsTls = false;
    // anything the client sent after STARTTLS in the clear is discarded (RFC 3501 §6.2.1)
    this.framer = this.newFramer();
    this.kit.startTls();
  }

  private compress(): void {
    this.wantsCompression = false;
    this.kit.useCodec((socket, feed, fail) => new Compression(socket, feed, fail));
  }

  private end(): void {
    this.kit.end();
    this.cleanup();
  }

  private stopIdleNotice(): void {
    if (this.idleNotice) clearInterval(this.idleNotice);
    this.idleNotice = undefined;
  }

  private cleanup(): void {
    if (this.isCleanedUp) return;
    this.isCleanedUp = true;
    this.stopIdleNotice();
    this.box?.close();
    this.notifier?.close();
    this.phase = { name: 'logout' };
    this.presence.close();
    this.opts.onClose(this);
  }
}

/** The goodbye text when the kit ends a session on its own. */
function farewell(why: CutReason, commandTimeout: number): string {
  switch (why) {
    case 'idle': return 'Autologout; idle for too long';
    case 'slow-command': return `Command took longer than ${commandTimeout} seconds`;
    case 'stall': return 'Too much unread output; closing';
  }
}

/** A tag echoed back must not carry bytes that would break the reply line. */
function safeTag(tag: string): string {
  return /^[\x21-\x7e]{1,64}$/.test(tag) ? tag : '*';
}
