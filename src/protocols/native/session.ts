// One native connection (protocol/README.md): phase, serial dispatch through the command table,
// replies with the `*` flag, client-sent listings. The byte plumbing (pump, backpressure, fair
// turns, idle and slow-line timers, STARTTLS, cleanup) is the session kit's (net/session-kit.ts).
import type { Socket } from 'node:net';
import type { Logger } from '../../log/index.ts';
import type { PresenceHandle } from '../../core/index.ts';
import { SessionKit, kitLimits, type CutReason } from '../../net/session-kit.ts';
import type { TranslatorDeps } from '../types.ts';
import { CLASS, ERR, errorCode } from './codes.ts';
import { mapError } from './errors.ts';
import { LineReader, type Line } from '../../net/line-reader.ts';
import { isWellFormedVerb, parseCommand } from './parser.ts';
import { statusLine, type Reply } from './reply.ts';
import { safeLine } from './render.ts';
import { COMMANDS } from './commands/index.ts';
import type { Entry, UserActor } from './commands/types.ts';

export type Phase =
  | { name: 'anonymous' }
  | { name: 'user-given'; userName: string }
  | { name: 'in-room'; actor: UserActor; roomnum: number; roomName: string };

/** Text the client is sending after a 4xx reply, up to its `000` line. */
interface Draft {
  onText: (lines: string[]) => Promise<void>;
  lines: string[];
  bytes: number;
  isTooBig: boolean;
}

export interface SessionOptions {
  cid: number;
  host: string;
  isTls: boolean;
  onClose: () => void;
}

/** pipelined lines (commands or client-sent text) held before the socket stops being read */
const MAX_QUEUED = 256;
/** listing lines written between turns for others */
const LISTING_BLOCK = 256;

export class Session {
  phase: Phase = { name: 'anonymous' };
  readonly log: Logger;
  readonly presence: PresenceHandle;
  isTls: boolean;
  /** room chat: the room and the sequence a poll starts after (lines said before entering are not replayed) */
  chat: { roomnum: number; start: number } | undefined;
  /** inbox highest msgnum when new mail was last reported (GOTO field 9) */
  mailMark = 0;
  /** who paged this user last (SEXP with an empty name answers them) */
  lastPager: string | undefined;
  /** the previous PASS failed with this password: the stock client repeats PASS once, cleaned */
  failedPass: { userName: string; password: string } | undefined;
  authFailures = 0;
  badCommands = 0;
  /** rooms left by GOTO, newest last (Ungoto) */
  readonly ungoto: number[] = [];

  private readonly kit: SessionKit<Line>;
  private readonly reader: LineReader;
  private draft: Draft | undefined;

  /** `socket` is the accepted plain socket; on the implicit-TLS listener opts.isTls wraps it. */
  constructor(readonly deps: TranslatorDeps, socket: Socket, readonly opts: SessionOptions) {
    this.isTls = opts.isTls;
    this.log = deps.log.child({ proto: 'native', cid: opts.cid, host: opts.host });
    this.reader = new LineReader(deps.config.maxLineLength);
    this.presence = deps.core.presence.open({ proto: 'native', host: opts.host });
    const c = deps.config;
    this.kit = new SessionKit<Line>({
      socket, proto: 'native', cid: opts.cid, log: this.log, tls: deps.tls, isImplicitTls: opts.isTls,
      limits: kitLimits(c, { idleSeconds: c.idleTimeout, maxQueued: MAX_QUEUED }),
      hooks: {
        frame: (chunk) => this.reader.push(chunk),
        run: (ev) => this.step(ev),
        farewell: (why) => `${errorCode(ERR.SERVER_SHUTTING_DOWN)} ${farewell(why, c)}\n`,
        closed: () => this.cleanup(),
      },
    });
    this.write([statusLine(CLASS.CIT_OK, `${deps.config.nodeName} Citadel server ready.`, false)]);
  }

  get core() {
    return this.deps.core;
  }

  get config() {
    return this.deps.config;
  }

  get host(): string {
    return this.opts.host;
  }

  get origin(): string {
    return `native:${this.opts.host}`;
  }

  /** Say a last line in the protocol's words and close (shutdown, idle, too many errors). */
  goodbye(line: string, why: string): void {
    if (this.kit.isClosed) return;
    this.log.info({ why }, 'closing session');
    this.kit.end(`${line}\n`);
  }

  private async step(ev: Line): Promise<void> {
    if (this.draft) {
      this.kit.doing('(client-sent text)');
      return this.draftLine(ev);
    }
    if (ev.isTooLong) {
      this.log.warn({ length: ev.length }, 'command line too long');
      this.write([statusLine(errorCode(ERR.TOO_BIG), `Line too long (limit ${this.config.maxLineLength} bytes).`, false)]);
      return this.countBad();
    }
    const cmd = parseCommand(ev.bytes.toString('utf8'));
    const entry = isWellFormedVerb(cmd.verb) ? COMMANDS[cmd.verb] : undefined;
    if (!entry) {
      this.log.info({ cmd: cmd.verb.replace(/[^\x20-\x7e]/g, '?') }, 'unknown command');
      this.write([statusLine(errorCode(ERR.CMD_NOT_SUPPORTED), 'Unrecognized or unsupported command.', false)]);
      return this.countBad();
    }
    this.log.debug({ cmd: cmd.verb }, 'command');
    this.kit.doing(cmd.verb);
    this.deps.metrics.inc('keep_native_commands_total', 'native protocol commands', { verb: cmd.verb });
    if (!entry.isKeepalive) this.presence.update({ lastActive: Math.floor(Date.now() / 1000), lastCmd: cmd.verb });
    const reply = await this.run(entry, cmd);
    if (this.phase.name === 'in-room') this.kit.setUser(this.phase.actor.name);
    await this.send(reply);
  }

  /**
   * A listing's lines in blocks, with a turn for other sessions between them and a wait while
   * the client is behind (issue 16); false if the client left mid-listing.
   */
  private async writeListing(lines: Iterable<string>): Promise<boolean> {
    let block: string[] = [];
    for (const line of lines) {
      if (this.kit.isClosed) return false;
      block.push(safeLine(line));
      if (block.length < LISTING_BLOCK && !this.kit.isTurnOver) continue;
      this.kit.send(`${block.join('\n')}\n`);
      block = [];
      await this.kit.pace();
    }
    this.write([...block, '000']);
    return true;
  }

  private async run(entry: Entry, cmd: ReturnType<typeof parseCommand>): Promise<Reply> {
    try {
      if (entry.needs === 'none') return await entry.run(this, cmd);
      const p = this.refreshActor();
      if (!p) return { kind: 'line', code: errorCode(ERR.NOT_LOGGED_IN), text: 'Not logged in.' };
      return await entry.run({ s: this, actor: p.actor, roomnum: p.roomnum }, cmd);
    } catch (err) {
      const m = mapError(err, entry.errors);
      // every refusal is logged with who asked and from where
      if (m.isBug) this.log.error({ err, cmd: cmd.verb }, 'command failed');
      else this.log.info({ cmd: cmd.verb, code: m.code, why: m.text, user: this.phase.name === 'in-room' ? this.phase.actor.name : undefined }, 'refused');
      return { kind: 'line', code: m.code, text: m.text };
    }
  }

  /** The logged-in phase with the user's current level (an aide may have changed it). */
  private refreshActor(): Extract<Phase, { name: 'in-room' }> | undefined {
    const p = this.phase;
    if (p.name !== 'in-room') return undefined;
    const u = this.core.users.getByNum(p.actor.usernum);
    if (u.level === 0) {
      this.phase = { name: 'anonymous' };
      this.presence.update({ usernum: undefined, name: undefined, room: undefined });
      return undefined;
    }
    if (u.level !== p.actor.level || u.name !== p.actor.name) p.actor = { ...p.actor, level: u.level, name: u.name };
    return p;
  }

  private async send(reply: Reply): Promise<void> {
    if (reply.kind === 'none') return;
    const isStarred = reply.mayStar === true && this.hasPages();
    this.write([statusLine(reply.code, reply.text, isStarred)]);
    if ((reply.kind === 'listing' || reply.kind === 'stream') && !(await this.writeListing(reply.lines))) return;
    if (reply.kind === 'receive') {
      this.draft = { onText: reply.onText, lines: [], bytes: 0, isTooBig: false };
      if (reply.isPosting) this.presence.update({ isPosting: true });
    }
    if (reply.after === 'close') this.kit.end();
    else if (reply.after === 'starttls') this.startTls();
  }

  private hasPages(): boolean {
    return this.phase.name === 'in-room' && this.core.pages.waitingCount(this.phase.actor.usernum) > 0;
  }

  private async draftLine(ev: Line): Promise<void> {
    const d = this.draft!;
    const text = ev.bytes.toString('utf8');
    if (!ev.isTooLong && text === '000') {
      this.draft = undefined;
      this.presence.update({ isPosting: false });
      if (d.isTooBig) {
        this.log.warn({ bytes: d.bytes }, 'client-sent text too big; dropped');
        return;
      }
      try {
        await d.onText(d.lines);
      } catch (err) {
        // no reply may follow a client-sent listing (protocol/README.md §Replies), so log it
        const m = mapError(err);
        this.log[m.isBug ? 'error' : 'warn']({ err, code: m.code }, 'client-sent text refused');
      }
      return;
    }
    d.bytes += ev.length + 1;
    if (ev.isTooLong || d.bytes > this.config.maxMessageSize) d.isTooBig = true;
    if (!d.isTooBig) d.lines.push(text);
  }

  private countBad(): void {
    this.badCommands += 1;
    if (this.badCommands >= this.config.nativeMaxBadCommands) {
      this.goodbye(`${errorCode(ERR.TOO_BIG)} Too many bad commands; goodbye.`, 'too many bad commands');
    }
  }

  /** Count a failed login; after the configured number the session ends. */
  countAuthFailure(): void {
    this.authFailures += 1;
  }

  get isOutOfAuthAttempts(): boolean {
    return this.authFailures >= this.config.authFailureLimit;
  }

  private startTls(): void {
    // anything pipelined after STLS arrived in clear text: dropped (no command injection)
    this.reader.reset();
    this.kit.startTls();
    this.isTls = true;
  }

  write(lines: string[]): void {
    this.kit.write(`${lines.join('\n')}\n`);
  }

  private cleanup(): void {
    if (this.draft) this.log.info({ lines: this.draft.lines.length }, 'disconnected while sending text; nothing stored');
    this.draft = undefined;
    const usernum = this.phase.name === 'in-room' ? this.phase.actor.usernum : undefined;
    this.presence.close();
    if (usernum !== undefined && !this.core.presence.isOnline(usernum)) this.core.pages.clear(usernum);
    this.opts.onClose();
  }

  /** Used by close(): the server is going down. */
  shutdown(): void {
    this.goodbye(`${errorCode(ERR.SERVER_SHUTTING_DOWN)} Server is shutting down; goodbye.`, 'shutdown');
  }
}

/** The goodbye text when the kit ends a session on its own. */
function farewell(why: CutReason, c: { idleTimeout: number; commandTimeout: number }): string {
  switch (why) {
    case 'idle': return `Idle for ${c.idleTimeout} seconds; goodbye.`;
    case 'slow-command': return `A command took longer than ${c.commandTimeout} seconds to arrive; goodbye.`;
    case 'stall': return 'Too much unread output; goodbye.';
  }
}
