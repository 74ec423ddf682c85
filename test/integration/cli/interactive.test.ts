import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { clientEnv, runKeep } from './run-keep.ts';
import { hasTmux, TmuxServer, type TmuxClient } from './tmux.ts';

let keep: Keep;
let tmux: TmuxServer;

beforeAll(async () => {
  keep = await startKeep();
  const added = await Promise.all(['alice', 'bob', 'carol'].map((name) => keep.cli(['user', 'add', name, '--password', `${name}-pw`])));
  expect(added.map((r) => r.code)).toEqual([0, 0, 0]);
  tmux = new TmuxServer();
}, 120_000); // a loaded machine starts keepd slowly
afterAll(async () => {
  tmux?.kill();
  await keep?.stop();
});

/** An interactive client logged in and at the Lobby prompt; polls for pages every second. */
async function login(session: string, user: string, extra: Record<string, string> = {}): Promise<TmuxClient> {
  const env = clientEnv(keep.ports.native, user, `${user}-pw`, { KEEP_POLL: '1', TERM: 'xterm', EDITOR: '', VISUAL: '', ...extra });
  const client = tmux.start(session, env);
  await client.waitFor(/Lobby> $/m);
  return client;
}

if (!hasTmux) console.warn('tmux is not installed: the interactive keep tests are SKIPPED (apt-get install tmux)');

describe.skipIf(!hasTmux)('keep interactive mode (in tmux)', { timeout: 180_000 }, () => {
  it('shows a page from another client as it arrives', async () => {
    const alice = await login('page-alice', 'alice');
    const bob = await login('page-bob', 'bob');
    alice.press('p');
    await alice.waitFor(/User to page: $/m);
    alice.type('bob');
    await alice.waitFor(/Message: $/m);
    alice.type('are you coming to lunch?');
    await alice.waitFor(/Message sent to bob\./);
    const screen = await bob.waitFor(/--- Message from alice at \d\d:\d\d ---\nare you coming to lunch\?\n---/);
    expect(screen).toMatch(/Lobby> $/m);
    for (const c of [alice, bob]) c.press('t', 'y');
    expect(await alice.waitForExit()).toBe(0);
  });

  it('shows a page while the user is reading messages', async () => {
    const admin = clientEnv(keep.ports.native, 'admin', 'admin-secret');
    for (const n of [1, 2]) expect((await runKeep(['post', 'Lobby', '--subject', `reading ${n}`], admin, `text ${n}\n`)).code).toBe(0);
    const bob = await login('reading-bob', 'bob');
    bob.press('b');
    await bob.waitFor(/Subject: reading 2\n+text 2\n+\(\d+ more\) <N>ext <S>top <A>gain -> $/m);
    expect((await runKeep(['page', 'bob', 'psst'], admin)).code).toBe(0);
    // the message appears above the reader's prompt, which is drawn again below it
    await bob.waitFor(/--- Message from admin at \d\d:\d\d ---\npsst\n---\n\(\d+ more\) <N>ext <S>top <A>gain -> $/m);
    bob.press('s');
    await bob.waitFor(/Lobby> $/m);
    bob.press('t', 'y');
    expect(await bob.waitForExit()).toBe(0);
  });

  it('posts with the built-in editor, and another client reads it as new', async () => {
    const alice = await login('post-alice', 'alice');
    const bob = await login('post-bob', 'bob');
    alice.press('e');
    await alice.waitFor(/Subject \(Enter for none\): $/m);
    alice.type('Garden party');
    await alice.waitFor(/An empty line ends it/);
    alice.type('Saturday at three.');
    alice.type('Bring a chair.');
    alice.press('Enter');
    await alice.waitFor(/<S>ave, <C>ontinue, <A>bort\? $/m);
    alice.press('s');
    await alice.waitFor(/Message saved in Lobby\./);
    bob.press('n');
    const screen = await bob.waitFor(/from alice\nSubject: Garden party\n+Saturday at three\.\nBring a chair\./);
    expect(screen).toMatch(/Read new messages/);
    bob.press('n');
    await bob.waitFor(/There are no new messages in this room\./);
    for (const c of [alice, bob]) c.press('t', 'y');
    expect(await bob.waitForExit()).toBe(0);
  });

  it('mails a user, who finds it in Mail', async () => {
    const alice = await login('mail-alice', 'alice');
    alice.press('m');
    await alice.waitFor(/Recipient: $/m);
    alice.type('carol');
    await alice.waitFor(/Subject \(Enter for none\): $/m);
    alice.type('Keys');
    await alice.waitFor(/An empty line ends it/);
    alice.type('Under the mat.');
    alice.press('Enter');
    await alice.waitFor(/<S>ave, <C>ontinue, <A>bort\? $/m);
    alice.press('s');
    await alice.waitFor(/Mail sent to carol\.\nLobby> $/m);
    const run = await runKeep(['read', 'Mail', '--json'], clientEnv(keep.ports.native, 'carol', 'carol-pw'));
    expect(JSON.parse(run.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'alice', subject: 'Keys', text: 'Under the mat.' })]));
    alice.press('t', 'y');
    expect(await alice.waitForExit()).toBe(0);
  });

  it('enters a message through $EDITOR', async () => {
    // the "editor" is a shell command that writes the file it is given, as a real editor would
    const before = await runKeep(['post', 'Lobby'], clientEnv(keep.ports.native, 'admin', 'admin-secret'), 'an older message\n');
    expect(before.code).toBe(0); // so reading backward always has one more to offer
    const carol = await login('editor-carol', 'carol', { EDITOR: `printf 'Written in the editor.\\n' >` });
    carol.press('e');
    await carol.waitFor(/Subject \(Enter for none\): $/m);
    carol.type('From an editor');
    await carol.waitFor(/Message saved in Lobby\./);
    carol.press('b');
    await carol.waitFor(/Read backward\n+#\d+ \S+ \S+ from carol\nSubject: From an editor\n+Written in the editor\.\n+\(\d+ more\)/);
    carol.press('s');
    await carol.waitFor(/Lobby> $/m);
    carol.press('t', 'y');
    expect(await carol.waitForExit()).toBe(0);
  });

  it('pages a long message a screenful at a time', async () => {
    const alice = await login('pager-alice', 'alice');
    alice.press('e');
    await alice.waitFor(/Subject \(Enter for none\): $/m);
    alice.type('Long one');
    await alice.waitFor(/An empty line ends it/);
    for (let i = 1; i <= 60; i++) alice.type(`line ${i}`);
    alice.press('Enter');
    await alice.waitFor(/<S>ave, <C>ontinue, <A>bort\? $/m);
    alice.press('s');
    await alice.waitFor(/Message saved in Lobby\./);
    alice.press('b'); // newest first: other tests post in the Lobby too
    const first = await alice.waitFor(/Subject: Long one\n+[\s\S]*line \d+\n-- more \(\d+%\) -- space/);
    expect(first.slice(first.lastIndexOf('Subject: Long one'))).not.toMatch(/line 60/);
    alice.press('Space');
    await alice.waitFor(/line 60\n+\(\d+ more\) <N>ext <S>top/);
    alice.press('s');
    await alice.waitFor(/Lobby> $/m);
    alice.press('t', 'y');
    expect(await alice.waitForExit()).toBe(0);
  });

  it('chats with another client in the same room', async () => {
    const alice = await login('chat-alice', 'alice');
    const bob = await login('chat-bob', 'bob');
    for (const c of [alice, bob]) c.press('c');
    await alice.waitFor(/chat> $/m);
    await bob.waitFor(/chat> $/m);
    alice.type('anyone for tea?');
    await bob.waitFor(/alice: anyone for tea\?/);
    bob.type('yes please');
    await alice.waitFor(/bob: yes please/);
    for (const c of [alice, bob]) c.type('/quit');
    await alice.waitFor(/Left chat\.\nLobby> $/m);
    for (const c of [alice, bob]) c.press('t', 'y');
    expect(await alice.waitForExit()).toBe(0);
  });

  it('asks for the password without echoing it, and again when it was wrong', async () => {
    const env = clientEnv(keep.ports.native, 'carol', 'unused', { TERM: 'xterm' });
    delete env.KEEP_PASSWORD;
    const carol = tmux.start('prompt-carol', env);
    await carol.waitFor(/Password for carol: $/m);
    carol.type('not-my-password');
    await carol.waitFor(/login failed: Wrong password\.\nPassword for carol: $/m);
    carol.type('carol-pw');
    const screen = await carol.waitFor(/Lobby> $/m);
    expect(screen).toMatch(/Connected to .* as carol\./);
    expect(screen).not.toContain('carol-pw');
    expect(screen).not.toContain('not-my-password');
    carol.press('t', 'y');
    expect(await carol.waitForExit()).toBe(0);
  });

  it('asks for the password on the terminal when the message comes through a pipe', async () => {
    const env = clientEnv(keep.ports.native, 'carol', 'unused', { TERM: 'xterm' });
    delete env.KEEP_PASSWORD;
    const post = tmux.start('pipe-carol', env, ['post', 'Lobby', '--subject', 'Piped'], { stdin: 'Through a pipe.\n' });
    await post.waitFor(/Password for carol: $/m);
    post.type('carol-pw');
    await post.waitFor(/Message posted in Lobby\./);
    expect(await post.waitForExit()).toBe(0);
    expect(post.screen()).not.toContain('carol-pw');
    const read = await runKeep(['read', 'Lobby', '--last', '1', '--json'], clientEnv(keep.ports.native, 'carol', 'carol-pw'));
    expect(JSON.parse(read.stdout)).toMatchObject([{ subject: 'Piped', text: 'Through a pipe.' }]);
  });

  it('goes to the next room with new messages, skips and zaps rooms', async () => {
    for (const room of ['Garden', 'Kitchen']) {
      expect((await keep.cli(['room', 'add', room])).code).toBe(0);
      const posted = await runKeep(['post', room, '--subject', `In the ${room}`], clientEnv(keep.ports.native, 'alice', 'alice-pw'), `News from the ${room}.\n`);
      expect(posted.code).toBe(0);
    }
    const bob = await login('goto-bob', 'bob');
    bob.press('j');
    bob.type('Lobby'); // marks the Lobby read, so only Garden and Kitchen have new messages
    await bob.waitFor(/Jump to a room by name\nRoom name: Lobby\nLobby: \d+ new/);
    bob.press('g');
    await bob.waitFor(/Goto next room with new messages\nGarden: 1 new of 1 messages\.\nGarden> $/m);
    bob.press('s'); // skip: Garden stays unread
    await bob.waitFor(/Skip this room \(leave it unread\)\nKitchen: 1 new of 1 messages\.\nKitchen> $/m);
    bob.press('r');
    await bob.waitFor(/Subject: In the Kitchen\n+News from the Kitchen\./);
    bob.press('z');
    await bob.waitFor(/Forget Kitchen\? \(y\/n\) $/m);
    bob.press('y');
    await bob.waitFor(/Lobby: \d+ new of \d+ messages\.\nLobby> $/m);
    bob.press('k');
    const rooms = await bob.waitFor(/Known rooms\nRooms with new messages:\n\* Garden\n(.*\n)*No new messages in:\n(.*\n)*Lobby> $/m);
    expect(rooms.slice(rooms.lastIndexOf('Known rooms'))).not.toMatch(/Kitchen/);
    bob.press('t', 'y');
    expect(await bob.waitForExit()).toBe(0);
  });

  it('moves between rooms: known rooms, goto, ungoto, a room password, who', async () => {
    const bob = await login('rooms-bob', 'bob');
    bob.press('k');
    await bob.waitFor(/Rooms with new messages:[\s\S]*No new messages in:/);
    bob.press('j');
    await bob.waitFor(/Room name: $/m);
    bob.type('Mail');
    await bob.waitFor(/Mail> $/m);
    bob.press('u');
    await bob.waitFor(/Ungoto[^\n]*\nLobby: \d+ new of \d+ messages\.\nLobby> $/m);
    bob.press('w');
    await bob.waitFor(/Who is online\nUser\s+Room\n[\s\S]*bob\s+Lobby/);
    expect((await keep.cli(['room', 'add', 'Vault', '--kind', 'private-password', '--password', 'open-sesame'])).code).toBe(0);
    bob.press('j');
    bob.type('Vault');
    await bob.waitFor(/Room password: $/m);
    bob.type('open-sesame');
    const vault = await bob.waitFor(/Vault> $/m);
    expect(vault).not.toContain('open-sesame');
    bob.press('j');
    bob.type('No Such Room');
    await bob.waitFor(/\*\*\* room 'No Such Room' not found/);
    bob.press('t', 'y');
    expect(await bob.waitForExit()).toBe(0);
  });
});
