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
      await ui.link.use((s) => s.sayInChat(line));
      await poller.poll();
    }
  } finally {
    clearInterval(timer);
    await ui.link.use((s) => s.leaveChat()).catch((e: unknown) => ui.term.write(`*** ${describeError(e).line}\n`));
  }
  ui.term.write('Left chat.\n');
}

class ChatPoller {
  private seq = 0;
  private isPolling = false;

  constructor(private readonly ui: Ui) {}

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
      // a lost connection is reported and repaired by the link; anything else is worth a line
      if (!(e instanceof ClientError && e.kind === 'lost')) this.ui.term.interject(`*** ${describeError(e).line}`);
    } finally {
      this.isPolling = false;
    }
  }
}
