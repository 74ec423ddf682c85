// Chat mode (RCHT, §3.27): lines typed are sent; lines from everyone in the room's chat,
// our own included, arrive by polling about once a second and are printed above the input.
import { ClientError, describeError } from '../errors.ts';
import { CANCELLED } from './terminal.ts';
import type { Ui } from './ui.ts';

const POLL_MS = 1000;
/** lines taken per poll; the rest come with the next one */
const MAX_LINES_PER_POLL = 100;

export async function chat(ui: Ui): Promise<void> {
  await ui.link.use((s) => s.enterChat());
  ui.term.write(`Entering chat in ${ui.nav.room.name}. Type a line and Enter to send it; /quit leaves.\n`);
  const poller = new ChatPoller(ui);
  const timer = setInterval(() => void poller.poll(), POLL_MS);
  try {
    await poller.poll();
    for (;;) {
      const line = await ui.term.readLine('chat> ');
      if (line === CANCELLED || line.trim() === '/quit') break;
      if (line.trim() === '') continue;
      // a line that could not be said is reported (and chat re-entered if need be); type it again
      await ui.link.use((s) => s.sayInChat(line)).catch((e: unknown) => poller.recover(e));
      await poller.poll();
    }
  } finally {
    clearInterval(timer);
    await ui.link.use((s) => s.leaveChat()).catch((e: unknown) => ui.term.write(`*** ${describeError(e).line}\n`));
  }
  ui.term.write('Left chat.\n');
}

/** Citadel's 560 "not here": the server no longer has us in chat (a new session after a reconnect) */
const NOT_IN_CHAT = 560;

class ChatPoller {
  private seq = 0;
  private isPolling = false;
  private lastError = '';

  constructor(private readonly ui: Ui) {}

  /** A lost connection is reported and repaired by the link; a new session re-enters chat. */
  async recover(e: unknown): Promise<void> {
    if (e instanceof ClientError && e.kind === 'lost') return;
    if (e instanceof ClientError && e.code === NOT_IN_CHAT) {
      await this.ui.link.use((s) => s.enterChat()).then(
        () => this.ui.term.interject('*** back in chat'),
        (again: unknown) => this.report(again),
      );
      return;
    }
    this.report(e);
  }

  /** One line per distinct problem, not one per poll. */
  private report(e: unknown): void {
    const line = describeError(e).line;
    if (line !== this.lastError) this.ui.term.interject(`*** ${line}`);
    this.lastError = line;
  }

  async poll(): Promise<void> {
    if (this.isPolling) return;
    this.isPolling = true;
    try {
      const s = await this.ui.link.session();
      for (let i = 0; i < MAX_LINES_PER_POLL; i++) {
        const line = await s.pollChat(this.seq);
        if (!line) break;
        this.seq = line.seq;
        this.ui.term.interject(`${line.from === ':' ? '***' : `${line.from}:`} ${line.text}`);
      }
    } catch (e) {
      await this.recover(e);
    } finally {
      this.isPolling = false;
    }
  }
}
