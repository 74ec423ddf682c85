// A real newsreader: slrn under tmux logs in (nnrpaccess), opens a group, shows the subject in
// its thread view and the article body, and keeps XOVER on (it checks LIST OVERVIEW.FMT against
// RFC 2980). Skipped loudly when slrn or tmux is not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { postText, startNntpKeep } from './fixture.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const isAvailable = has('slrn') && has('tmux') && has('script');
if (!isAvailable) console.warn('SKIPPING the slrn test: slrn, tmux or script is not installed (apt-get install -y slrn tmux bsdutils)');

const SOCKET = `keep-nntp-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'slrn');

/** Poll the screen until it shows the text (bounded). */
async function waitForScreen(text: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (last.includes(text)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slrn never showed ${JSON.stringify(text)}; screen:\n${last}`);
}

let keep: Keep;
let home: string;
beforeAll(async () => {
  if (!isAvailable) return;
  keep = await startNntpKeep();
  await postText(keep, 'Kitchen', [{ subject: 'Welcome to the kitchen', text: 'first native post body' }]);
  home = mkdtempSync(join(tmpdir(), 'keep-slrn-'));
});
afterAll(async () => {
  if (!isAvailable) return;
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  await keep?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!isAvailable)('NNTP with slrn', () => {
  it('opens a group with XOVER, lists its article and shows the body', async () => {
    writeFileSync(join(home, '.slrnrc'), 'nnrpaccess "127.0.0.1" "alice" "alice-pw"\nset hostname "keep.test"\n');
    writeFileSync(join(home, '.jnewsrc'), 'keep.main-floor.kitchen:\n');
    // script(1) keeps what slrn prints before it takes the full screen: the XOVER verdict goes there
    const slrn = `env HOME=${home} TERM=xterm slrn --nntp -h 127.0.0.1:${keep.ports.nntp} -f ${home}/.jnewsrc -n -C- --debug ${home}/debug 2>${home}/stderr`;
    const cmd = `script -f -q -c '${slrn}' ${home}/typescript`;
    tmux('new-session', '-d', '-s', 'slrn', '-x', '120', '-y', '30', cmd);
    const groups = await waitForScreen('keep.main-floor.kitchen');
    tmux('send-keys', '-t', 'slrn', 'Space');
    const threads = await waitForScreen('Welcome to the kitchen');
    // slrn checks LIST OVERVIEW.FMT at start and says so on the terminal when it turns XOVER off
    const printed = [groups, threads, ...['typescript', 'stderr', 'debug'].map((f) => readFileSync(join(home, f), 'latin1'))];
    for (const seen of printed) expect(seen).not.toContain('not RFC 2980 compliant');
    // it fetched the group's headers as overview lines (its debug log marks what it sent with >)
    expect(readFileSync(join(home, 'debug'), 'latin1')).toMatch(/^>X?OVER \d/m);
    tmux('send-keys', '-t', 'slrn', 'Space');
    const shown = await waitForScreen('first native post body');
    expect(shown).toContain('Newsgroups: keep.main-floor.kitchen');
    expect(shown).toContain('From: Keep <postmaster@keep.test>');
    tmux('send-keys', '-t', 'slrn', 'q');
  });
});
