// The interactive client's hold on the server: a keepalive NOOP that also notices instant
// messages (the '*' flag, §2.3, §3.6), GEXP to fetch them, and reconnecting with backoff when
// the connection dies, saying so on screen.
import { KeepSession } from '../api/session.ts';
import { ClientError, describeError } from '../errors.ts';
import type { Settings } from '../options/settings.ts';
import type { InstantMessage } from '../wire/parse.ts';

export interface LinkEvents {
  notice(text: string): void;
  instantMessage(m: InstantMessage): void;
  /** a new session replaced a lost one: put it back where the old one was */
  reconnected(session: KeepSession): Promise<void>;
  /** reconnecting failed for good */
  gaveUp(err: ClientError): void;
}

const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_S = 30;
/** a burst of waiting instant messages is shown in one go, but never forever */
const MAX_FETCH = 50;

export class Link {
  private timer: NodeJS.Timeout | undefined;
  private reconnecting: Promise<void> | undefined;
  private isFetching = false;
  private isStopped = false;

  constructor(
    private current: KeepSession,
    private readonly settings: Settings & { user: string; password: string },
    private readonly events: LinkEvents,
  ) {
    this.watch(current);
  }

  get isReconnecting(): boolean { return this.reconnecting !== undefined; }

  get where(): string { return `${this.settings.host}:${this.settings.port}`; }

  start(): void {
    this.timer = setInterval(() => void this.keepalive(), this.settings.pollSeconds * 1000);
    void this.keepalive();
  }

  /** The live session, waiting for a reconnect in progress. */
  async session(): Promise<KeepSession> {
    if (this.reconnecting) await this.reconnecting;
    return this.current;
  }

  /**
   * Run an operation on the live session. If the connection dies under it, reconnect and
   * report the interruption as an error the caller shows (the operation is not repeated: it
   * may have been half done, like a post).
   */
  async use<T>(fn: (s: KeepSession) => Promise<T>): Promise<T> {
    const s = await this.session();
    try {
      return await fn(s);
    } catch (e) {
      if (!(e instanceof ClientError) || e.kind !== 'lost' || this.isStopped) throw e;
      await this.recover(e.message);
      throw new ClientError('lost', 'the command was interrupted by the lost connection; please try again');
    }
  }

  /** Log out and stop watching. */
  async close(): Promise<void> {
    this.isStopped = true;
    clearInterval(this.timer);
    await this.current.close();
  }

  private watch(s: KeepSession): void {
    s.conn.onClose((reason) => {
      if (!this.isStopped) void this.recover(reason).catch((e: unknown) => this.events.notice(`*** ${describeError(e).line}`));
    });
    s.conn.onMessagesWaiting(() => setImmediate(() => void this.fetchInstantMessages()));
  }

  private async keepalive(): Promise<void> {
    if (this.reconnecting || this.isStopped) return;
    try {
      // a short timeout: a server that stays silent this long is treated as dead
      const hasWaiting = await this.current.noop(Math.min(this.settings.timeoutMs, 10_000));
      if (hasWaiting) await this.fetchInstantMessages();
    } catch (e) {
      if (e instanceof ClientError && e.kind === 'lost') return; // the close listener reconnects
      this.events.notice(`*** keepalive failed: ${describeError(e).line}`);
    }
  }

  private async fetchInstantMessages(): Promise<void> {
    if (this.isFetching || this.reconnecting) return;
    this.isFetching = true;
    try {
      for (let i = 0; i < MAX_FETCH; i++) {
        const m = await this.current.nextInstantMessage();
        if (!m) break;
        this.events.instantMessage(m);
        if (!m.hasMore) break;
      }
    } catch (e) {
      if (!(e instanceof ClientError && e.kind === 'lost')) this.events.notice(`*** could not fetch instant messages: ${describeError(e).line}`);
    } finally {
      this.isFetching = false;
    }
  }

  private recover(reason: string): Promise<void> {
    this.reconnecting ??= this.reconnect(reason).finally(() => { this.reconnecting = undefined; });
    return this.reconnecting;
  }

  private async reconnect(reason: string): Promise<void> {
    this.events.notice(`*** connection to ${this.where} lost (${reason.replace(/^connection lost: /, '')})`);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !this.isStopped; attempt++) {
      const delay = Math.min(MAX_BACKOFF_S, 2 ** (attempt - 1));
      this.events.notice(`*** reconnecting in ${delay}s (attempt ${attempt} of ${MAX_ATTEMPTS})...`);
      await new Promise((r) => setTimeout(r, delay * 1000));
      try {
        const s = await KeepSession.open(this.settings);
        this.current = s;
        this.watch(s);
        await this.events.reconnected(s);
        this.events.notice(`*** reconnected to ${this.where}`);
        return;
      } catch (e) {
        // the server answering "no" (a changed password, a deleted account) will not improve with retries
        if (e instanceof ClientError && e.kind === 'refused') return this.giveUp(e);
        this.events.notice(`*** ${describeError(e).line}`);
      }
    }
    this.giveUp(new ClientError('connect', `cannot reach ${this.where}; gave up after ${MAX_ATTEMPTS} attempts`));
  }

  private giveUp(err: ClientError): void {
    this.isStopped = true;
    clearInterval(this.timer);
    this.events.gaveUp(err);
  }
}
