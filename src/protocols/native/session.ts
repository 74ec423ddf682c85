// One native connection (protocol/README.md): framing, phase, serial dispatch through the
// command table, replies with the `*` flag, client-sent listings, idle timer, STARTTLS, cleanup.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/index.ts';
import type { PresenceHandle } from '../../core/index.ts';
import { upgradeToTls } from '../../net/tls.ts';
import { guardSlowLines, type SlowLineGuard } from '../../net/slow-line-guard.ts';
import { drained } from '../../net/drained.ts';
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

const MAX_QUEUED = 1000;
/** unsent reply bytes before the session stops reading commands (a client that never reads) */
const MAX_UNSENT = 4 * 1024 * 1024;

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

  private socket: Socket;
  private readonly reader: LineReader;
  private queue: Line[] = [];
  private isBusy = false;
  private isClosing = false;
  private draft: Draft | undefined;
  private readonly idle: NodeJS.Timeout;
  private lineGuard: SlowLineGuard;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);

  constructor(readonly deps: TranslatorDeps, socket: Socket, readonly opts: SessionOptions) {
    this.socket = socket;
    this.isTls = opts.isTls;
    this.log = deps.log.child({ proto: 'native', cid: opts.cid });
    this.reader = new LineReader(deps.config.maxLineLength);
    this.presence = deps.core.presence.open({ proto: 'native', host: opts.host });
    this.idle = setTimeout(() => this.goodbye(`${errorCode(ERR.SERVER_SHUTTING_DOWN)} Idle for ${deps.config.idleTimeout} seconds; goodbye.`, 'idle timeout'), deps.config.idleTimeout * 1000);
    this.attach(socket);
    this.lineGuard = this.guardLines(socket);
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
    if (this.isClosing) return;
    this.log.info({ why }, 'closing session');
    this.isClosing = true;
    this.write([line]);
    this.socket.end();
    // a peer that never reads must not hold the socket open
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** A command line trickled in slower than the limit ends the session (issue 10). */
  private guardLines(socket: Duplex): SlowLineGuard {
    const seconds = this.config.commandTimeout;
    return guardSlowLines(socket, {
      maxMs: seconds * 1000,
      onExpire: () => this.goodbye(`${errorCode(ERR.SERVER_SHUTTING_DOWN)} A command took longer than ${seconds} seconds to arrive; goodbye.`, 'slow command'),
    });
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err) => this.log.debug({ err: err.message }, 'socket error'));
    socket.once('close', () => this.cleanup());
  }

  private receive(chunk: Buffer): void {
    if (this.isClosing) return;
    this.idle.refresh();
    for (const ev of this.reader.push(chunk)) this.queue.push(ev);
    if (this.queue.length > MAX_QUEUED) this.socket.pause();
    if (!this.isBusy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.isBusy = true;
    try {
      for (let ev = this.queue.shift(); ev && !this.isClosing; ev = this.queue.shift()) {
        await this.step(ev);
        if (this.socket.writableLength > MAX_UNSENT) await drained(this.socket);
        if (this.queue.length < MAX_QUEUED / 2 && this.socket.isPaused()) this.socket.resume();
      }
    } catch (err) {
      this.log.error({ err }, 'native session failed');
      this.socket.destroy();
    } finally {
      this.isBusy = false;
    }
  }

  private async step(ev: Line): Promise<void> {
    if (this.draft) return this.draftLine(ev);
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
    this.deps.metrics.inc('keep_native_commands_total', 'native protocol commands', { verb: cmd.verb });
    if (!entry.isKeepalive) this.presence.update({ lastActive: Math.floor(Date.now() / 1000), lastCmd: cmd.verb });
    const reply = await this.run(entry, cmd);
    if (reply.kind === 'stream') return this.sendStream(reply);
    this.send(reply);
  }

  /** Write a streamed listing in blocks, waiting for the client to read when it falls behind. */
  private async sendStream(reply: Extract<Reply, { kind: 'stream' }>): Promise<void> {
    this.write([statusLine(reply.code, reply.text, false)]);
    let block: string[] = [];
    for (const line of reply.lines) {
      if (this.isClosing || this.socket.destroyed) return; // the client left mid-listing
      block.push(safeLine(line));
      if (block.length < 500) continue;
      this.write(block);
      block = [];
      if (this.socket.writableLength > MAX_UNSENT) await drained(this.socket);
    }
    this.write([...block, '000']);
  }

  private async run(entry: Entry, cmd: ReturnType<typeof parseCommand>): Promise<Reply> {
    try {
      if (entry.needs === 'none') return await entry.run(this, cmd);
      const p = this.refreshActor();
      if (!p) return { kind: 'line', code: errorCode(ERR.NOT_LOGGED_IN), text: 'Not logged in.' };
      return await entry.run({ s: this, actor: p.actor, roomnum: p.roomnum }, cmd);
    } catch (err) {
      const m = mapError(err, entry.errors);
      if (m.isBug) this.log.error({ err, cmd: cmd.verb }, 'command failed');
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

  private send(reply: Reply): void {
    if (reply.kind === 'none') return;
    const isStarred = reply.mayStar === true && this.hasPages();
    const head = statusLine(reply.code, reply.text, isStarred);
    if (reply.kind === 'listing') this.write([head, ...reply.lines.map(safeLine), '000']);
    else if (reply.kind === 'stream') throw new Error('streamed listings go through sendStream');
    else this.write([head]);
    if (reply.kind === 'receive') {
      this.draft = { onText: reply.onText, lines: [], bytes: 0, isTooBig: false };
      if (reply.isPosting) this.presence.update({ isPosting: true });
    }
    if (reply.after === 'close') {
      this.isClosing = true;
      this.socket.end();
    } else if (reply.after === 'starttls') this.startTls();
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
    const raw = this.socket;
    raw.removeListener('data', this.onData);
    raw.pause();
    // anything pipelined after STLS arrived in clear text: drop it (no command injection)
    this.queue = [];
    this.reader.reset();
    const secure = upgradeToTls(raw, this.deps.tls);
    secure.on('data', this.onData);
    this.lineGuard.stop();
    this.lineGuard = this.guardLines(secure);
    secure.on('error', (err) => this.log.info({ err: err.message }, 'TLS failed'));
    this.socket = secure;
    this.isTls = true;
  }

  write(lines: string[]): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(`${lines.join('\n')}\n`);
  }

  private cleanup(): void {
    clearTimeout(this.idle);
    this.lineGuard.stop();
    if (this.draft) this.log.info({ lines: this.draft.lines.length }, 'disconnected while sending text; nothing stored');
    this.draft = undefined;
    const usernum = this.phase.name === 'in-room' ? this.phase.actor.usernum : undefined;
    this.presence.close();
    if (usernum !== undefined && !this.core.presence.isOnline(usernum)) this.core.pages.clear(usernum);
    this.queue = [];
    this.isClosing = true;
    this.opts.onClose();
  }

  /** Used by close(): the server is going down. */
  shutdown(): void {
    this.goodbye(`${errorCode(ERR.SERVER_SHUTTING_DOWN)} Server is shutting down; goodbye.`, 'shutdown');
  }
}
