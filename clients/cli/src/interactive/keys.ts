// The single-key commands at the room prompt, in the spirit of the Citadel text client.
import { ClientError } from '../errors.ts';
import { roomsText, whoText } from '../output/format.ts';
import { chat } from './chat.ts';
import { compose } from './editor.ts';
import { readMessages } from './reader.ts';
import { CANCELLED } from './terminal.ts';
import type { Ui } from './ui.ts';

export interface KeyCommand { label: string; run(ui: Ui): Promise<void> }

export const HELP_LINE = 'n new  g goto next  j jump to room  k known rooms  s skip  u ungoto  z zap  e enter  r/b/l read fwd/rev/last 5  m mail  p page  w who  c chat  t terminate  ? help';

async function ask(ui: Ui, prompt: string): Promise<string | undefined> {
  const answer = await ui.term.readLine(prompt);
  return answer === CANCELLED || answer.trim() === '' ? undefined : answer.trim();
}

function showRoom(ui: Ui): void {
  const r = ui.nav.room;
  ui.term.write(`${r.name}: ${r.unread} new of ${r.total} messages.\n`);
}

async function enterMessage(ui: Ui, recipient: string | undefined): Promise<void> {
  const subject = await ui.term.readLine('Subject (Enter for none): ');
  if (subject === CANCELLED) return;
  const text = await compose(ui.term);
  if (text === undefined) return;
  const draft = { text, ...(subject.trim() ? { subject: subject.trim() } : {}), ...(recipient ? { recipient } : {}) };
  if (!recipient || ui.nav.room.isMailbox) {
    await ui.link.use((s) => s.enter(draft));
  } else {
    // mail is entered from the Mail room; come back without marking anything read
    const here = ui.nav.room.name;
    await ui.link.use(async (s) => { await s.goto('_MAIL_'); await s.enter(draft); await s.goto(here); });
  }
  ui.term.write(recipient ? `Mail sent to ${recipient}.\n` : `Message saved in ${ui.nav.room.name}.\n`);
}

export const KEYS: Record<string, KeyCommand> = {
  n: { label: 'Read new messages', run: (ui) => readMessages(ui, { selection: { which: 'new' }, isReverse: false, emptyText: '*** There are no new messages in this room.' }) },
  r: { label: 'Read forward', run: (ui) => readMessages(ui, { selection: { which: 'all' }, isReverse: false, emptyText: '*** This room is empty.' }) },
  b: { label: 'Read backward', run: (ui) => readMessages(ui, { selection: { which: 'all' }, isReverse: true, emptyText: '*** This room is empty.' }) },
  l: { label: 'Read last five', run: (ui) => readMessages(ui, { selection: { which: 'last', count: 5 }, isReverse: false, emptyText: '*** This room is empty.' }) },
  g: {
    label: 'Goto next room with new messages',
    async run(ui) {
      const { hadNew } = await ui.link.use((s) => ui.nav.gotoNext(s, { markRead: true }));
      if (!hadNew) ui.term.write('*** No more rooms with new messages.\n');
      showRoom(ui);
    },
  },
  s: {
    label: 'Skip this room (leave it unread)',
    async run(ui) {
      await ui.link.use((s) => ui.nav.gotoNext(s, { markRead: false }));
      showRoom(ui);
    },
  },
  j: {
    label: 'Jump to a room by name',
    async run(ui) {
      const name = await ask(ui, 'Room name: ');
      if (!name) return;
      try {
        await ui.link.use((s) => ui.nav.goto(s, name));
      } catch (e) {
        // 54x: the room wants a password (§3.14); ask once, like the Citadel client
        if (!(e instanceof ClientError && e.code !== undefined && e.code >= 540 && e.code < 550)) throw e;
        const password = await ui.term.readLine('Room password: ', { echo: false });
        if (password === CANCELLED) return;
        await ui.link.use((s) => ui.nav.goto(s, name, password));
      }
      showRoom(ui);
    },
  },
  u: { label: 'Ungoto (back to the previous room)', async run(ui) { await ui.link.use((s) => ui.nav.ungoto(s)); showRoom(ui); } },
  k: {
    label: 'Known rooms',
    async run(ui) {
      const rooms = await ui.link.use((s) => s.knownRooms());
      const withNew = rooms.filter((r) => r.hasNew);
      const without = rooms.filter((r) => !r.hasNew);
      ui.term.write(`Rooms with new messages:\n${roomsText(withNew) || '  (none)\n'}No new messages in:\n${roomsText(without) || '  (none)\n'}`);
    },
  },
  z: {
    label: 'Zap (forget) this room',
    async run(ui) {
      const key = await ui.term.readKey(`Forget ${ui.nav.room.name}? (y/n) `);
      ui.term.write('\n');
      if (key.toLowerCase() !== 'y') return;
      await ui.link.use((s) => ui.nav.zap(s));
      showRoom(ui);
    },
  },
  e: {
    label: 'Enter a message',
    async run(ui) {
      // in a mailbox a message needs a recipient (the server answers 570 without one, §3.23)
      if (!ui.nav.room.isMailbox) return enterMessage(ui, undefined);
      const to = await ask(ui, 'Recipient: ');
      if (to) await enterMessage(ui, to);
    },
  },
  m: {
    label: 'Mail a user',
    async run(ui) {
      const to = await ask(ui, 'Recipient: ');
      if (to) await enterMessage(ui, to);
    },
  },
  p: {
    label: 'Page (instant message) a user',
    async run(ui) {
      const to = await ask(ui, 'User to page: ');
      if (!to) return;
      const text = await ask(ui, 'Message: ');
      if (!text) return;
      await ui.link.use((s) => s.page(to, text));
      ui.term.write(`Message sent to ${to}.\n`);
    },
  },
  w: { label: 'Who is online', async run(ui) { ui.term.write(whoText(await ui.link.use((s) => s.who()))); } },
  c: { label: 'Chat in this room', run: chat },
  t: {
    label: 'Terminate (log off)',
    async run(ui) {
      const key = await ui.term.readKey('Log off? (y/n) ');
      ui.term.write('\n');
      if (key.toLowerCase() === 'y') ui.quit();
    },
  },
  '?': {
    label: 'Help',
    async run(ui) {
      ui.term.write(`${Object.entries(KEYS).map(([k, c]) => `  ${k}  ${c.label}`).join('\n')}\n`);
    },
  },
};
