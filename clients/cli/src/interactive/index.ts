// The interactive client: log in, then single-key commands at the room prompt until
// terminate, with instant messages shown as they arrive and the link kept alive.
import tty from 'node:tty';
import type { KeepSession } from '../api/session.ts';
import { ClientError, describeError } from '../errors.ts';
import { login } from '../login.ts';
import type { Settings } from '../options/settings.ts';
import { shortTime } from '../output/format.ts';
import type { InstantMessage } from '../wire/parse.ts';
import { HELP_LINE, KEYS } from './keys.ts';
import { Link, type LinkEvents } from './link.ts';
import { Navigator } from './navigator.ts';
import { Terminal } from './terminal.ts';
import type { Ui } from './ui.ts';

const CTRL_C = '\u0003';

export async function runInteractive(settings: Settings): Promise<number> {
  if (!(process.stdin instanceof tty.ReadStream) || !(process.stdout instanceof tty.WriteStream)) {
    throw new ClientError('usage', 'interactive mode needs a terminal; give a command instead (see keep --help)');
  }
  const { session, user, password } = await login(settings);
  const term = new Terminal(process.stdin, process.stdout);
  const nav = await Navigator.enterLobby(session);
  const link = new Link(session, { ...settings, user, password }, linkEvents(term, nav));
  // while reconnecting, commands wait for the link; Ctrl-C must still get the user out
  term.onInterrupt = () => link.isReconnecting && exitNow(term, 'interrupted while reconnecting');
  // a signal must not leave the user's terminal in raw mode
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.once(signal, () => exitNow(term, `stopped by ${signal}`));
  greet(term, session, settings.host, nav);
  term.start();
  link.start();
  await commandLoop({ term, link, nav, settings, quit: () => undefined });
  if (!link.isReconnecting) await link.use((s) => nav.leave(s)).catch((e: unknown) => term.write(`*** ${describeError(e).line}\n`));
  await link.close();
  term.stop();
  term.write('Goodbye.\n');
  return 0;
}

/** Single keys at the room prompt until terminate (or Ctrl-C); a failed command is one line. */
async function commandLoop(base: Ui): Promise<void> {
  let isQuitting = false;
  const ui: Ui = { ...base, quit: () => { isQuitting = true; } };
  while (!isQuitting) {
    const key = await ui.term.readKey(`${ui.nav.room.name}> `);
    if (key === CTRL_C) return;
    const cmd = KEYS[key.toLowerCase()];
    ui.term.write(cmd ? `${cmd.label}\n` : `\n${HELP_LINE}\n`);
    if (!cmd) continue;
    try {
      await cmd.run(ui);
    } catch (e) {
      ui.term.write(`*** ${describeError(e).line}\n`);
    }
  }
}

function linkEvents(term: Terminal, nav: Navigator): LinkEvents {
  return {
    notice: (text) => term.interject(text),
    instantMessage: (m) => term.interject(instantMessageText(m)),
    reconnected: (s) => nav.rejoin(s),
    gaveUp: (err) => exitNow(term, err.message),
  };
}

function greet(term: Terminal, session: KeepSession, host: string, nav: Navigator): void {
  const { humanNode, nodeName, software } = session.server;
  const server = humanNode || nodeName || host;
  term.write(`Connected to ${server}${software && software !== server ? ` (${software})` : ''} as ${session.me.name}.\n`);
  term.write(`${HELP_LINE}\n`);
  term.write(`${nav.room.name}: ${nav.room.unread} new of ${nav.room.total} messages.\n`);
}

/** Leave at once with exit code 2 (cannot reach the server), the terminal restored. */
function exitNow(term: Terminal, why: string): never {
  term.stop();
  process.stderr.write(`\nkeep: ${why}\n`);
  process.exit(2);
}

function instantMessageText(m: InstantMessage): string {
  const at = shortTime(m.time).slice(11);
  const what = m.flags & 1 ? 'Broadcast message' : 'Message';
  return `\u0007\n--- ${what} from ${m.from} at ${at} ---\n${m.text}\n---`;
}
