// mutt (a real terminal mail client) under tmux: logs in over IMAP, lists INBOX, opens a
// message delivered by SMTP; the read state it sets then shows in the native client.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { Raw, startWithUsers } from './fixture.ts';

const hasMutt = spawnSync('mutt', ['-v']).status === 0 && spawnSync('tmux', ['-V']).status === 0;
const session = `keep-imap-mutt-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

async function waitFor(pred: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1000; i++) {
    if (pred()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${hasSession() ? screen() : '(gone)'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const hasSession = () => spawnSync('tmux', ['has-session', '-t', session]).status === 0;

let keep: Keep;
let dir: string;
beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  dir = mkdtempSync(join(tmpdir(), 'keep-mutt-'));
});
afterAll(async () => {
  if (hasSession()) tmux('kill-session', '-t', session);
  rmSync(dir, { recursive: true, force: true });
  await keep?.stop();
});

describe.skipIf(!hasMutt)('IMAP with mutt', () => {
  it('opens a message delivered by SMTP and the native client sees it read', async () => {
    const mx = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.smtp, secure: false, ignoreTLS: true });
    await mx.sendMail({ from: 'bob@remote.example', to: 'alice@keep.test', subject: 'Mutt reads this', text: 'Body for mutt to show.' });
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    expect(await r.cmd('b', 'STATUS INBOX (MESSAGES UNSEEN)')).toContain('(MESSAGES 1 UNSEEN 1)');
    r.close();

    const rc = join(dir, 'muttrc');
    writeFileSync(rc, [
      `set folder="imap://alice@127.0.0.1:${keep.ports.imap}/"`, 'set spoolfile="+INBOX"', 'set imap_pass="alice-pw"',
      'set ssl_starttls=no', 'set ssl_force_tls=no', 'set mail_check=60', 'set timeout=60', 'set move=no', 'set quit=yes',
      'set header_cache=""', 'set message_cachedir=""', 'set sleep_time=0', 'set beep=no', '',
    ].join('\n'));
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `mutt -n -F ${rc}`);
    await waitFor(() => screen().includes('Mutt reads this'), 'the INBOX index');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(() => screen().includes('Body for mutt to show.'), 'the message');
    tmux('send-keys', '-t', session, 'q');
    await waitFor(() => !screen().includes('Body for mutt to show.'), 'the index again');
    tmux('send-keys', '-t', session, 'q');
    await waitFor(() => !hasSession(), 'mutt to quit');

    const n = await NativeClient.connect(keep.ports.native);
    await n.login('alice', 'alice-pw');
    const goto = await n.cmd('GOTO _MAIL_|');
    expect(goto.code).toBe(200);
    expect(goto.text.split('|').slice(1, 3)).toEqual(['0', '1']); // unread 0 of 1
    n.close();
  });
});
