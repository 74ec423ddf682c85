// Acceptance: the real stock Citadel text client (Debian citadel-client) against keepd, driven
// under tmux with send-keys and asserted on capture-pane (see CITADEL-PROTOCOL-NOTES.md §8).
// Skipped, loudly, when `citadel` or `tmux` is not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFixture, type NativeFixture } from './fixture.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['citadel', 'tmux'].filter((c) => !has(c));
if (missing.length) {
  console.warn(`SKIPPING the stock Citadel client acceptance test: ${missing.join(' and ')} not installed (apt-get install -y citadel-client tmux)`);
}

/** A tmux server of our own, so nothing else's sessions are touched. */
const SOCKET = `keep-native-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = (s: string) => tmux('capture-pane', '-t', s, '-p', '-S', '-400');
const keys = (s: string, ...k: string[]) => tmux('send-keys', '-t', s, ...k);
const type = (s: string, text: string) => { keys(s, '-l', text); keys(s, 'Enter'); };

const count = (s: string, re: RegExp) => (screen(s).match(new RegExp(re.source, `${re.flags.replace('g', '')}g`)) ?? []).length;

/** Do something, then wait (bounded) until the screen shows re once more than before. */
async function expectScreen(s: string, re: RegExp, action: () => void, timeoutMs = 15_000): Promise<string> {
  const before = count(s, re);
  action();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (count(s, re) > before) return screen(s);
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`screen of ${s} never showed ${re}; it shows:\n${screen(s).split('\n').filter((l) => l.trim()).slice(-25).join('\n')}`);
}

/** Wait (bounded) until the screen shows re at all. */
async function waitScreen(s: string, re: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (count(s, re) > 0) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`screen of ${s} never showed ${re}; it shows:\n${screen(s)}`);
}

/** A key with time for the client to read it (it reads one key at a time). */
const press = async (s: string, ...k: string[]) => {
  keys(s, ...k);
  await new Promise((r) => setTimeout(r, 400));
};

let f: NativeFixture;

describe.skipIf(missing.length > 0)('the stock Citadel text client', () => {
  beforeAll(async () => {
    f = await nativeFixture();
    const admin = await f.as('admin');
    expect((await admin.cmd('CRE8 1|Kitchen|0||0')).code).toBe(200);
    (await f.as('Bob', 'bobpw')).close();
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCKET), { force: true });
    await f?.stop();
  });

  const start = (s: string) => tmux('new-session', '-d', '-s', s, '-x', '100', '-y', '50', `citadel 127.0.0.1 ${f.port}; echo CLIENT-EXITED; sleep 60`);

  it('creates an account, posts, reads, mails, pages, lists who, chats and terminates', { timeout: 400_000 }, async () => {
    // Alice creates her account through the client's own new-user dialogue (NEWU, SETP, SETU)
    start('alice');
    await waitScreen('alice', /Enter your name:/);
    await expectScreen('alice', /create a new user account called 'Alice'/, () => type('alice', 'Alice'));
    await expectScreen('alice', /Enter a new password:/, () => keys('alice', 'y'));
    await expectScreen('alice', /Enter it again to confirm:/, () => type('alice', 'alicepw'));
    await expectScreen('alice', /experienced Citadel user/, () => type('alice', 'alicepw'));
    await press('alice', 'y');
    for (let i = 0; i < 12 && !/Lobby>[ \t]*$/m.test(screen('alice')); i++) await press('alice', 'Enter');
    expect(screen('alice')).toMatch(/Access level: 3/);
    expect(screen('alice')).toMatch(/Lobby>[ \t]*$/m);

    // Bob logs in with a password
    start('bob');
    await waitScreen('bob', /Enter your name:/);
    await expectScreen('bob', /password:/, () => type('bob', 'Bob'));
    await expectScreen('bob', /Lobby>[ \t]*$/m, () => type('bob', 'bobpw'));
    await expectScreen('bob', /Expert mode now ON/, () => keys('bob', 'x'));
    // Alice answered "experienced" in the dialogue, so she is already in expert mode (SETU flag 32)
    expect(screen('alice')).not.toMatch(/Room cmds:/);

    // Alice enters a message in the Lobby; Bob reads it as new
    await expectScreen('alice', /from Alice/, () => keys('alice', 'e'));
    type('alice', 'Hello from Alice in the Lobby');
    await press('alice', 'Enter');
    // the prompt comes back after the client's MSGS NEW, which the server answers after storing the post
    await expectScreen('alice', /Lobby>[ \t]*$/m, () => keys('alice', 's'));
    await expectScreen('bob', /Hello from Alice in the Lobby/, () => keys('bob', 'n'));
    await expectScreen('bob', /Lobby>[ \t]*$/m, () => keys('bob', 'n'));

    // known rooms and goto
    const known = await expectScreen('bob', /Kitchen>/, () => keys('bob', 'k'));
    expect(known).toMatch(/Lobby>/);
    await press('bob', '.', 'g');
    await expectScreen('bob', /Kitchen>[ \t]*$/m, () => type('bob', 'Kitchen'));

    // Bob mails Alice; she is told about it and reads it
    await expectScreen('bob', /Mail>[ \t]*$/m, () => keys('bob', 'm'));
    await expectScreen('bob', /Enter recipient:/, () => keys('bob', 'e'));
    await expectScreen('bob', /from Bob to Alice/, () => type('bob', 'Alice'));
    type('bob', 'Private note for Alice');
    await press('bob', 'Enter');
    await expectScreen('bob', /Mail>[ \t]*$/m, () => keys('bob', 's'));
    await expectScreen('alice', /1 new of 1 messages/, () => keys('alice', 'm'));
    await expectScreen('alice', /Private note for Alice/, () => keys('alice', 'n'));
    // she replies from the end-of-message prompt: the client addresses it "Bob @ <node>", which
    // the one recipient resolver takes as the local user (issue 18), so it arrives at once
    await expectScreen('alice', /from Alice to Bob/, () => keys('alice', 'r'));
    type('alice', 'Reply from Alice to Bob');
    await press('alice', 'Enter');
    // saved, the client comes back to the message she replied to; the reply is in Bob's Mail now
    await expectScreen('alice', /<S>top <\?>help ->[ \t]*$/m, () => keys('alice', 's'));
    await press('alice', 'n');
    const reply = await expectScreen('bob', /Reply from Alice to Bob/, () => keys('bob', 'n'));
    expect(reply).toMatch(/from Alice to Bob/);
    await press('bob', 'n');

    // Bob pages Alice; the page arrives when her client next asks (here: who is online)
    await expectScreen('bob', /Page who:/, () => keys('bob', 'p'));
    type('bob', 'Alice');
    await new Promise((r) => setTimeout(r, 600));
    type('bob', 'Are you there Alice?');
    await press('bob', 'Enter');
    await expectScreen('bob', /Message sent\./, () => keys('bob', 's'));
    // the client prints "Message sent." before the server has read the text; Bob's next command
    // (who is online) is answered only after it, so the page is waiting once this shows
    await expectScreen('bob', /^\.\s+Alice\s/m, () => keys('bob', 'w'));
    const who = await expectScreen('alice', /Message at .* from Bob:/, () => keys('alice', 'w'));
    expect(who).toMatch(/Are you there Alice\?/);
    expect(who).toMatch(/^\.\s+Bob\s+Mail/m);
    expect(who).toMatch(/^\.\s+Alice\s+Mail/m);

    // both go to the Lobby and chat
    await press('alice', '.', 'g');
    await expectScreen('alice', /Lobby>[ \t]*$/m, () => type('alice', 'Lobby'));
    await press('bob', '.', 'g');
    await expectScreen('bob', /Lobby>[ \t]*$/m, () => type('bob', 'Lobby'));
    await expectScreen('alice', /Entering chat mode/, () => keys('alice', 'c'));
    await expectScreen('bob', /Entering chat mode/, () => keys('bob', 'c'));
    await expectScreen('bob', /Alice: hello bob in chat/, () => type('alice', 'hello bob in chat'));
    await expectScreen('alice', /Bob: hi alice/, () => type('bob', 'hi alice'));
    await expectScreen('alice', /Exiting chat mode/, () => type('alice', '/quit'));
    await expectScreen('bob', /Exiting chat mode/, () => type('bob', '/quit'));

    // terminate
    await expectScreen('alice', /Are you sure/, () => keys('alice', 't'));
    const bye = await expectScreen('alice', /CLIENT-EXITED/, () => keys('alice', 'y'));
    expect(bye).toMatch(/Thank you for calling Keep\. Goodbye\./);
    expect(bye).not.toMatch(/is broken/);
  });
});
