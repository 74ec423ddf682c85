// One NNTP connection (RFC 3977 §3, §5): login and input phases, dispatch through the command
// table, bad-command limit, and replies written in order. The byte plumbing (pump, backpressure,
// fair turns, idle and slow-line timers, STARTTLS, cleanup) is the session kit's.
import type { Socket } from 'node:net';
import { mayAuthenticateInClear } from '../../net/loopback.ts';
import { SessionKit, kitLimits, type CutReason } from '../../net/session-kit.ts';
import { LEVEL, type Actor, type PresenceHandle } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import type { TranslatorDeps } from '../types.ts';
import { CODE } from './codes.ts';
import { isBadCommandCode, mapError, NntpError } from './errors.ts';
import { listGroups, type Group, type Reader } from './groups.ts';
import { LineReader, type Line } from '../../net/line-reader.ts';
import { parseCommand } from './parser.ts';
import { TERMINATOR, encodeData, encodeReply, encodeStatus, type Reply } from './render.ts';
import { COMMANDS, type After } from './commands/index.ts';
import { finishPost, type Draft } from './commands/post.ts';

/** Who is reading: nobody yet, a name given to AUTHINFO USER, or a logged-in user. */
export type Login =
  | { state: 'anonymous' }
  | { state: 'user-given'; userName: string }
  | { state: 'authenticated'; actor: Actor };

/** What the next line is: a command, or a line of an article after POST's 340. */
type Input = { name: 'command' } | { name: 'posting'; draft: Draft } | { name: 'closed' };

/** The selected newsgroup and the current article number in it (RFC 3977 §6.1.1). */
export interface Selected { group: Group; pointer: number | undefined }

const GROUP_CACHE_MS = 2000;
/** pipelined lines (commands or article text) held before the socket stops being read */
const MAX_QUEUED_LINES = 256;
/** article and listing bytes written between turns for others */
const DATA_SLICE = 64 * 1024;
const SEEN_FLUSH_MS = 500;

export class Session {
  login: Login = { state: 'anonymous' };
  selected: Selected | undefined;
  isTls = false;
  private input: Input = { name: 'command' };
  private badCommands = 0;
  private isGone = false;
  private readonly kit: SessionKit<Line>;
  private reader: LineReader;
  private cachedGroups: { at: number; list: Group[] } | undefined;
  private seenQueue = new Map<number, number[]>();
  private isFlushingSeen = false;
  private seenTimer: NodeJS.Timeout | undefined;
  private readonly presence: PresenceHandle;
  private readonly onRoomChange = () => { this.cachedGroups = undefined; };
  readonly log: Logger;
  readonly host: string;

  /** Passwords travel only over TLS, or in the clear from loopback if allowed (RFC 4643 §2.2). */
  get mayAuthenticate(): boolean {
    return this.isTls || mayAuthenticateInClear(this.host, this.deps.config);
  }

  constructor(socket: Socket, readonly deps: TranslatorDeps, cid: number, private readonly onClosed: (s: Session) => void) {
    this.host = socket.remoteAddress ?? 'unknown';
    this.log = deps.log.child({ proto: 'nntp', cid, host: this.host });
    this.reader = new LineReader(deps.config.maxLineLength);
    this.presence = deps.core.presence.open({ proto: 'nntp', host: this.host });
    deps.core.events.on('room', this.onRoomChange);
    const c = deps.config;
    this.kit = new SessionKit<Line>({
      socket, proto: 'nntp', cid, log: this.log, tls: deps.tls,
      limits: kitLimits(c, { idleSeconds: c.idleTimeout, maxQueued: MAX_QUEUED_LINES }),
      hooks: {
        frame: (chunk) => this.reader.push(chunk),
        run: (line) => this.step(line),
        farewell: (why) => encodeReply({ code: CODE.SERVICE_DISCONTINUED, text: farewell(why, c.commandTimeout) }),
        closed: () => this.closed(),
      },
    });
    this.write({ code: CODE.READY_POSTING, text: `${deps.config.domain} Keep NNTP service ready (posting allowed after AUTHINFO)` });
  }

  get core() { return this.deps.core; }
  get config() { return this.deps.config; }

  /** The actor reads happen as; 480 when nobody is logged in and anonymous reading is off. */
  readerOf(): Reader {
    if (this.login.state === 'authenticated') return { actor: this.login.actor, isAnonymous: false };
    if (!this.config.nntpAnonymousRead) throw new NntpError(CODE.AUTH_REQUIRED, 'Authentication required (AUTHINFO USER/PASS)');
    // not a user of the store: level "new" can read public rooms and post nowhere
    return { actor: { kind: 'user', usernum: 0, name: 'anonymous', level: LEVEL.new, origin: `nntp:${this.host}` }, isAnonymous: true };
  }

  /** The groups this reader sees, cached briefly and dropped when a room changes. */
  groups(): Group[] {
    const now = Date.now();
    if (!this.cachedGroups || now - this.cachedGroups.at > GROUP_CACHE_MS) this.cachedGroups = { at: now, list: listGroups(this.core, this.readerOf()) };
    return this.cachedGroups.list;
  }

  /** The selected group, or 412. */
  requireSelected(): Selected {
    if (!this.selected) throw new NntpError(CODE.NO_GROUP_SELECTED, 'No newsgroup selected');
    return this.selected;
  }

  loggedIn(actor: Actor): void {
    this.login = { state: 'authenticated', actor };
    this.cachedGroups = undefined;
    this.selected = undefined;
    this.presence.update({ usernum: (actor as { usernum: number }).usernum, name: actor.name });
    this.log.info({ user: actor.name }, 'logged in');
    this.kit.setUser(actor.name);
  }

  /**
   * Shared read state: what a logged-in reader fetched is seen in every protocol. Writes are
   * batched per session (one durable write per SEEN_FLUSH_MS at most): a write per ARTICLE made
   * twenty concurrent readers ten times slower in bench/nntp.bench.ts.
   */
  markSeen(roomnum: number, msgnum: number): void {
    if (this.login.state !== 'authenticated') return;
    const list = this.seenQueue.get(roomnum) ?? [];
    list.push(msgnum);
    this.seenQueue.set(roomnum, list);
    this.scheduleSeen();
  }

  private scheduleSeen(): void {
    if (this.seenTimer || this.isFlushingSeen || this.seenQueue.size === 0) return;
    this.seenTimer = setTimeout(() => {
      this.seenTimer = undefined;
      void this.flushSeen();
    }, SEEN_FLUSH_MS);
  }

  private async flushSeen(): Promise<void> {
    if (this.login.state !== 'authenticated') return;
    const actor = this.login.actor;
    this.isFlushingSeen = true;
    try {
      for (let i = 0; i < 1000 && this.seenQueue.size; i++) {
        const [roomnum, msgnums] = this.seenQueue.entries().next().value as [number, number[]];
        this.seenQueue.delete(roomnum);
        await this.core.visits.setFlag(actor, roomnum, msgnums, 'seen', true);
      }
    } catch (err) {
      this.log.error({ err }, 'marking articles seen failed');
    } finally {
      this.isFlushingSeen = false;
      if (!this.isGone) this.scheduleSeen();
    }
  }

  /** One line, in order: a line of an article being posted, or a command. */
  private async step(line: Line): Promise<void> {
    if (this.input.name === 'posting') {
      this.kit.doing('POST (article text)');
      await this.postLine(this.input.draft, line);
    } else if (this.input.name === 'command') await this.commandLine(line);
  }

  private async postLine(draft: Draft, line: Line): Promise<void> {
    if (!line.isTooLong && line.bytes.length === 1 && line.bytes[0] === 0x2e) {
      this.input = { name: 'command' };
      const reply = await this.run(() => finishPost(this, draft), 'POST');
      await this.reply(reply);
      return;
    }
    draft.add(line);
  }

  private async commandLine(line: Line): Promise<void> {
    if (line.isTooLong) return this.reply({ code: CODE.SYNTAX_ERROR, text: `Line too long (limit ${this.config.maxLineLength} octets)` });
    const cmd = parseCommand(line.bytes.toString('utf8'));
    const spec = COMMANDS[cmd.verb];
    this.kit.doing(spec ? cmd.verb : 'unknown');
    this.presence.update({ lastActive: Math.floor(Date.now() / 1000), lastCmd: cmd.verb });
    this.deps.metrics.inc('keep_nntp_commands_total', 'NNTP commands received', { verb: spec ? cmd.verb : 'unknown' });
    if (!spec) return this.reply({ code: CODE.UNKNOWN_COMMAND, text: cmd.verb ? 'Unknown command' : 'Empty command' });
    const log = cmd.verb === 'AUTHINFO PASS' ? 'AUTHINFO PASS <redacted>' : cmd.verb;
    let after: After | undefined;
    const reply = await this.run(async () => {
      if (spec.needs === 'reader') this.readerOf();
      const out = await spec.run(this, cmd);
      after = out.after;
      return out;
    }, log);
    await this.reply(reply);
    if (after && reply.code < 400) this.afterReply(after);
  }

  private async run(fn: () => Promise<Reply> | Reply, cmd: string): Promise<Reply> {
    try {
      return await fn();
    } catch (err) {
      const m = mapError(err);
      // every refusal is logged with who asked and from where
      if (m.isBug) this.log.error({ err, cmd }, 'command failed');
      else this.log.info({ cmd, code: m.code, why: m.text, user: this.login.state === 'authenticated' ? this.login.actor.name : undefined }, 'refused');
      return { code: m.code, text: m.text };
    }
  }

  /** A reply; a large data block is rendered and sent in slices with turns for others between them (issue 16). */
  private async reply(r: Reply): Promise<void> {
    this.kit.send(encodeStatus(r));
    if (r.data !== undefined) {
      for (const piece of encodeData(r.data, DATA_SLICE, () => this.kit.isTurnOver)) {
        if (this.kit.isClosed) return;
        this.kit.send(piece);
        await this.kit.pace();
      }
      this.kit.send(TERMINATOR);
    }
    this.kit.flush();
    this.count(r.code);
  }

  private count(code: number): void {
    if (!isBadCommandCode(code)) return;
    this.badCommands += 1;
    if (this.badCommands >= this.config.nntpMaxBadCommands) this.goodbye('Too many bad commands, closing connection');
  }

  private afterReply(after: After): void {
    if (after.kind === 'close') this.close();
    else if (after.kind === 'post') this.input = { name: 'posting', draft: after.draft };
    else this.startTls();
  }

  /** RFC 4642 §2.2: after 382 the next bytes are the TLS handshake; pipelined lines are dropped. */
  private startTls(): void {
    this.reader = new LineReader(this.config.maxLineLength);
    this.kit.startTls();
    this.isTls = true;
    this.cachedGroups = undefined;
  }

  write(r: Reply): void {
    if (this.input.name === 'closed') return;
    this.kit.write(encodeReply(r));
  }

  /** Say goodbye in NNTP's words (400) and close: limits, idle time, server shutdown. */
  goodbye(text: string): void {
    if (this.input.name === 'closed') return;
    this.write({ code: CODE.SERVICE_DISCONTINUED, text });
    this.close();
  }

  close(): void {
    if (this.input.name === 'closed') return;
    this.input = { name: 'closed' };
    this.kit.end();
    this.closed();
  }

  private closed(): void {
    if (this.isGone) return;
    this.isGone = true;
    if (this.seenTimer) clearTimeout(this.seenTimer);
    this.seenTimer = undefined;
    if (!this.isFlushingSeen) void this.flushSeen(); // what was read before leaving is still seen
    this.input = { name: 'closed' };
    this.deps.core.events.off('room', this.onRoomChange);
    this.presence.close();
    this.onClosed(this);
  }
}

/** The goodbye text (with 400) when the kit ends a session on its own. */
function farewell(why: CutReason, commandTimeout: number): string {
  switch (why) {
    case 'idle': return 'Idle timeout, closing connection';
    case 'slow-command': return `Command took longer than ${commandTimeout} seconds, closing connection`;
    case 'stall': return 'Too much unread output, closing connection';
  }
}
