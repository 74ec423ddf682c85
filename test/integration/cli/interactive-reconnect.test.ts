import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { clientEnv } from './run-keep.ts';
import { hasTmux, TmuxServer } from './tmux.ts';

let keep: Keep;
let tmux: TmuxServer;

beforeAll(async () => {
  keep = await startKeep();
  expect((await keep.cli(['user', 'add', 'frank', '--password', 'frank-pw'])).code).toBe(0);
  tmux = new TmuxServer();
}, 120_000); // a loaded machine starts keepd slowly
afterAll(async () => {
  tmux?.kill();
  await keep?.stop();
});

if (!hasTmux) console.warn('tmux is not installed: the keep reconnect tests are SKIPPED (apt-get install tmux)');

describe.skipIf(!hasTmux)('keep interactive mode when the server dies', { timeout: 180_000 }, () => {
  it('says the connection was lost, reconnects with backoff and works again', async () => {
    const frank = tmux.start('reconnect-frank', clientEnv(keep.ports.native, 'frank', 'frank-pw', { KEEP_POLL: '1', TERM: 'xterm' }));
    await frank.waitFor(/Lobby> $/m);
    process.kill(await keep.workerPid(), 'SIGKILL'); // the supervisor starts a new worker
    await frank.waitFor(/\*\*\* connection to 127\.0\.0\.1:\d+ lost \(.+\)\n\*\*\* reconnecting in 1s \(attempt 1 of \d+\)\.\.\./);
    await frank.waitFor(/\*\*\* reconnected to 127\.0\.0\.1:\d+\nLobby> $/m, 45_000);
    frank.press('w');
    await frank.waitFor(/Who is online\nUser\s+Room\n(.*\n)*frank\s+Lobby/);
    frank.press('t', 'y');
    expect(await frank.waitForExit()).toBe(0);
  });

  it('goes back into chat after reconnecting', async () => {
    const frank = tmux.start('chat-frank', clientEnv(keep.ports.native, 'frank', 'frank-pw', { KEEP_POLL: '1', TERM: 'xterm' }));
    await frank.waitFor(/Lobby> $/m);
    frank.press('c');
    await frank.waitFor(/chat> $/m);
    frank.type('before');
    await frank.waitFor(/frank: before\n/);
    process.kill(await keep.workerPid(), 'SIGKILL');
    await frank.waitFor(/\*\*\* reconnected to 127\.0\.0\.1:\d+\n/, 45_000);
    await frank.waitFor(/\*\*\* back in chat\nchat> $/m);
    frank.type('after');
    await frank.waitFor(/frank: after\n/);
    frank.type('/quit');
    await frank.waitFor(/Left chat\.\nLobby> $/m);
    frank.press('t', 'y');
    expect(await frank.waitForExit()).toBe(0);
  });

  it('keeps trying while the server is down, and Ctrl-C gets out with status 2', async () => {
    const frank = tmux.start('down-frank', clientEnv(keep.ports.native, 'frank', 'frank-pw', { KEEP_POLL: '1', TERM: 'xterm' }));
    await frank.waitFor(/Lobby> $/m);
    await keep.stop();
    await frank.waitFor(/\*\*\* connection to 127\.0\.0\.1:\d+ lost/);
    const screen = await frank.waitFor(/\*\*\* reconnecting in 2s \(attempt 2 of \d+\)/, 30_000);
    expect(screen).toMatch(/\*\*\* cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    expect(screen).not.toMatch(/\bat .*\.(ts|js):\d+/);
    frank.press('C-c');
    expect(await frank.waitForExit()).toBe(2);
    expect(frank.screen()).toMatch(/keep: interrupted while reconnecting/);
  });
});
