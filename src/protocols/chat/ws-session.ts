// One WebSocket connection: its user, joined rooms, presence entry, flood control, liveness and
// send buffer limit. Frames are parsed by schema.ts and answered by the table in handlers.ts.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Actor, Core, PresenceHandle } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import type { Metrics } from '../../net/metrics.ts';
import { currentWork } from '../../net/current-work.ts';
import { ChatError, CLOSE, toErrorReply } from './errors.ts';
import { HANDLERS } from './handlers.ts';
import type { Hub, Member } from './hub.ts';
import { textFrame } from './frames.ts';
import { frame, type ServerMessage } from './render.ts';
import { idOf, parseFrame, type ClientMessage } from './schema.ts';
import { TokenBucket } from './rate.ts';

export interface WsLimits {
  /** unsent bytes before live traffic (a pushed frame) cuts the client off at once (KEEP_WS_MAX_BUFFERED) */
  maxBuffered: number;
  rate: number;
  maxBadFrames: number;
  maxPayload: number;
}

export interface WsSessionDeps {
  core: Core;
  hub: Hub;
  log: Logger;
  metrics: Metrics;
  limits: WsLimits;
}

/** How long a closing peer may take to finish the close handshake before it is cut. */
const CLOSE_GRACE_MS = 5_000;
let nextCid = 1;
const OPEN = 1; // WebSocket.OPEN

/**
 * Frames queued to sessions are written in flush rounds: each session's frames as one buffer,
 * one stream write and one system call per socket per round, not per frame. Rounds start at least
 * FLUSH_GAP_MS apart, so under load (a thousand chatters, their lines committed in many small
 * batches) a socket gets a write per gap rather than one per commit; when idle, the first frame
 * goes out on the next turn. Measured with bench/chat.bench.ts (1,000 talkers): slicing took
 * p99 from 67-73 ms to 44-58 ms; the gap trims the write count a little more.
 */
const FLUSH_GAP_MS = 5;
const toFlush = new Set<WsSession>();
let isFlushScheduled = false;
let lastRound = 0;
let isRoundRunning = false;
const FLUSH_SLICE = 100;
function flushSoon(s: WsSession): void {
  toFlush.add(s);
  if (isFlushScheduled) return;
  isFlushScheduled = true;
  const wait = lastRound + FLUSH_GAP_MS - performance.now();
  if (wait <= 0) setImmediate(flushRound);
  else setTimeout(flushRound, wait);
}

/**
 * A round writes FLUSH_SLICE sockets per turn: a socket write costs microseconds of kernel time,
 * and a thousand at once would hold up commits and incoming lines for milliseconds.
 */
function flushRound(): void {
  if (!isRoundRunning) lastRound = performance.now();
  let n = 0;
  try {
    for (const x of toFlush) {
      toFlush.delete(x);
      x.flush();
      if (++n >= FLUSH_SLICE) break;
    }
  } finally {
    // even if a flush threw, the rest still go out and later frames schedule a round
    isRoundRunning = toFlush.size > 0;
    if (isRoundRunning) setImmediate(flushRound);
    else isFlushScheduled = false;
  }
}

/**
 * The frames of a round joined into one buffer. Every member of a room is queued the same frame
 * buffers in the same order, so the previous join is reused when the list is the same one:
 * one allocation per round and room instead of one per socket.
 */
let lastFrames: Buffer[] = [];
let lastJoined: Buffer | undefined;
function joined(frames: Buffer[], bytes: number): Buffer {
  if (lastJoined && frames.length === lastFrames.length && frames.every((f, i) => f === lastFrames[i])) return lastJoined;
  lastFrames = frames;
  lastJoined = Buffer.concat(frames, bytes);
  return lastJoined;
}

type Phase = { name: 'open' } | { name: 'closing'; timer: NodeJS.Timeout } | { name: 'closed' };

export class WsSession implements Member {
  readonly cid = nextCid++;
  readonly usernum: number;
  readonly rooms = new Map<number, { name: string; lastSent: number }>();
  private childLog: Logger | undefined;
  private phase: Phase = { name: 'open' };
  private isAlive = true;
  private badFrames = 0;
  private readonly bucket: TokenBucket;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    readonly actor: Extract<Actor, { kind: 'user' }>,
    readonly loginId: string,
    readonly presence: PresenceHandle,
    readonly deps: WsSessionDeps,
  ) {
    this.usernum = actor.usernum;
    this.bucket = new TokenBucket(deps.limits.rate, deps.limits.rate * 3);
    ws.on('message', (data, isBinary) => void this.onFrame(String(data), isBinary));
    ws.on('pong', () => { this.isAlive = true; });
    ws.on('close', () => this.onClosed());
    ws.on('error', (err) => this.log.info({ err: err.message }, 'websocket error'));
  }

  /** The session's tagged logger, made on first use: most sessions never log, and a child costs memory. */
  get log(): Logger {
    this.childLog ??= this.deps.log.child({ cid: this.cid, user: this.actor.name });
    return this.childLog;
  }

  /** Greet, then who is online and any waiting instant messages. */
  start(): void {
    this.deps.hub.add(this);
    this.reply({ type: 'hello', user: { name: this.actor.name, level: this.actor.level }, limits: { maxPayload: this.deps.limits.maxPayload, rate: this.deps.limits.rate } });
    this.send(this.deps.hub.presenceFrame());
    this.deps.hub.deliverPages(this.usernum);
  }

  /**
   * An answer to the client's own request (or the greeting). Not checked against the ceiling:
   * above KEEP_SESSION_MAX_BUFFERED the output guard stops reading requests, so a client that
   * does not read gets no more answers and is cut after the stall timeout (issue 16).
   */
  reply(m: ServerMessage): void {
    this.queue(textFrame(frame(m)));
  }

  /**
   * Live traffic from others (a complete frame, frames.ts), which cannot wait for the client:
   * past KEEP_WS_MAX_BUFFERED unsent bytes it is cut off with 1013 at once, so one slow reader
   * never holds memory or time that others need.
   */
  send(data: Buffer): void {
    if (this.phase.name !== 'open' || this.ws.readyState !== OPEN) return;
    const buffered = this.socket.writableLength + this.pendingBytes;
    if (buffered > this.deps.limits.maxBuffered) {
      this.deps.metrics.inc('keep_ws_slow_consumers_total', 'WebSocket clients cut off for not reading');
      this.log.warn({ buffered }, 'slow consumer cut off');
      this.close(CLOSE.slowConsumer, 'slow consumer');
      return;
    }
    this.queue(data);
  }

  /** Queue a frame for this turn's write. */
  private queue(data: Buffer): void {
    if (this.phase.name !== 'open' || this.ws.readyState !== OPEN) return;
    if (this.pending.length === 0) flushSoon(this);
    this.pending.push(data);
    this.pendingBytes += data.length;
  }

  /** Write what send() queued this turn, as one buffer; dropped if the socket is closing. */
  flush(): void {
    const out = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (out.length === 0 || this.phase.name !== 'open' || this.ws.readyState !== OPEN) return;
    this.socket.write(out.length === 1 ? out[0]! : joined(out, bytes));
  }

  heartbeat(): boolean {
    if (this.phase.name === 'closed') return true;
    if (!this.isAlive) {
      this.ws.terminate();
      return false;
    }
    this.isAlive = false;
    this.ws.ping();
    return true;
  }

  close(code: number, reason: string): void {
    if (this.phase.name !== 'open') return;
    // a close frame ends the stream, so what is queued goes first (the errors that led to a
    // 1008, say); a slow consumer is not sent more
    if (code === CLOSE.slowConsumer) {
      this.pending = [];
      this.pendingBytes = 0;
    } else this.flush();
    this.leaveEverything();
    this.ws.close(code, reason);
    this.phase = { name: 'closing', timer: setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS) };
  }

  private async onFrame(data: string, isBinary: boolean): Promise<void> {
    this.isAlive = true;
    if (this.phase.name !== 'open') return;
    this.deps.metrics.inc('keep_ws_frames_in_total', 'WebSocket frames received');
    let msg: ClientMessage | undefined;
    let work = { proto: 'chat', cid: this.cid, user: this.actor.name, cmd: '(frame)' };
    currentWork.begin(work);
    try {
      if (!this.bucket.take()) throw new ChatError('limit', 'Too many frames; slow down.');
      msg = parseFrame(data, isBinary);
      currentWork.begin((work = { ...work, cmd: msg.type }));
      this.presence.update({ lastActive: Math.floor(Date.now() / 1000), lastCmd: msg.type });
      const out = await HANDLERS[msg.type](this, msg as never);
      if (out) this.reply(out);
    } catch (err) {
      const e = toErrorReply(err, this.log);
      const id = msg?.id ?? safeId(data, isBinary);
      this.reply({ type: 'error', code: e.code, message: e.message, ...(id !== undefined ? { id } : {}) });
      if (err instanceof ChatError && (err.code === 'invalid' || err.code === 'limit')) this.countBadFrame();
    } finally {
      currentWork.end(work);
    }
  }

  private countBadFrame(): void {
    this.badFrames += 1;
    if (this.badFrames < this.deps.limits.maxBadFrames) return;
    this.log.warn({ bad: this.badFrames }, 'too many bad frames; closing');
    this.close(CLOSE.policy, 'too many bad frames');
  }

  /** Leave the fan-out and the who list at once (before the close handshake ends). */
  private leaveEverything(): void {
    this.deps.hub.remove(this);
    this.presence.close();
  }

  private onClosed(): void {
    if (this.phase.name === 'closing') clearTimeout(this.phase.timer);
    if (this.phase.name === 'open') this.leaveEverything();
    this.phase = { name: 'closed' };
  }
}

function safeId(data: string, isBinary: boolean) {
  if (isBinary || data.length > 4096) return undefined;
  try {
    return idOf(JSON.parse(data));
  } catch {
    return undefined; // malformed JSON has no id to echo; the error reply says why
  }
}
