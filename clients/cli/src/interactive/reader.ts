// Reading messages at the room prompt: new, forward, reverse, last five (§4 N/F/R/L), each
// shown through the pager, with a short prompt between messages.
import type { MessageSelection } from '../api/session.ts';
import { messageText } from '../output/format.ts';
import { page } from './pager.ts';
import type { Ui } from './ui.ts';

export interface ReadRequest { selection: MessageSelection; isReverse: boolean; emptyText: string }

export async function readMessages(ui: Ui, req: ReadRequest): Promise<void> {
  const numbers = await ui.link.use((s) => s.messageNumbers(req.selection));
  if (req.isReverse) numbers.reverse();
  if (numbers.length === 0) {
    ui.term.write(`${req.emptyText}\n`);
    return;
  }
  for (let i = 0; i < numbers.length; i++) {
    const msgnum = numbers[i]!;
    const message = await ui.link.use((s) => s.message(msgnum));
    if (req.selection.which === 'new') await ui.link.use((s) => ui.nav.readUpTo(s, msgnum));
    else ui.nav.noteShown(msgnum);
    ui.term.write('\n');
    if ((await page(ui.term, messageText(message))) === 'stopped') return;
    const left = numbers.length - i - 1;
    if (left === 0) break;
    const action = await askNext(ui, left);
    if (action === 'stop') return;
    if (action === 'again') i--;
  }
  ui.term.write('\n');
}

async function askNext(ui: Ui, left: number): Promise<'next' | 'stop' | 'again'> {
  for (let tries = 0; tries < 100; tries++) {
    const key = (await ui.term.readKey(`(${left} more) <N>ext <S>top <A>gain -> `)).toLowerCase();
    ui.term.write('\n');
    if (key === 'n' || key === ' ' || key === '\r') return 'next';
    if (key === 's' || key === 'q' || key === '\u0003') return 'stop';
    if (key === 'a') return 'again';
  }
  return 'stop';
}
