import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { clientEnv, expectOneLineError, runKeep } from './run-keep.ts';

let keep: Keep;

beforeAll(async () => {
  keep = await startKeep();
  expect((await keep.cli(['user', 'add', 'dora', '--password', 'dora-pw'])).code).toBe(0);
}, 120_000); // a loaded machine starts keepd slowly
afterAll(async () => { await keep?.stop(); });

const dora = () => clientEnv(keep.ports.native, 'dora', 'dora-pw');

describe('keep exit codes and error lines', { timeout: 180_000 }, () => { // each test spawns several clients; a loaded machine is slow
  it('exits 1 with the server\'s reason on a wrong password', async () => {
    const run = await runKeep(['whoami'], clientEnv(keep.ports.native, 'dora', 'not-her-password'));
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toBe('keep: login failed: Wrong password.');
    expect(run.stdout).toBe('');
  });

  it('exits 1 for an unknown user name', async () => {
    const run = await runKeep(['whoami'], clientEnv(keep.ports.native, 'nobody-here', 'x'));
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toMatch(/^keep: login failed: .*nobody-here/i);
  });

  it.each([
    [['read', 'No Such Room'], '', /^keep: .*No Such Room.*not found/i],
    [['post', 'No Such Room'], 'text\n', /^keep: .*No Such Room.*not found/i],
    [['mail', 'no-such-user'], 'text\n', /^keep: .*no-such-user/i],
    [['page', 'admin', 'hello'], '', /^keep: 'admin' is not logged in/],
  ])('exits 1 when the server refuses: keep %j', async (args, input, message) => {
    const run = await runKeep(args, dora(), input);
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toMatch(message);
  });

  it.each([
    [['read'], /^keep: usage: keep read ROOM/],
    [['read', 'Lobby', '--last', 'many'], /--last needs a positive whole number/],
    [['read', 'Lobby', '--new', '--last', '2'], /use --new or --last N, not both/],
    [['page', 'admin'], /^keep: usage: keep page USER TEXT/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['rooms', '--colour'], /unknown option --colour/],
    [['rooms', '--port', '70000'], /port must be 1-65535/],
    [['rooms', '--tls', 'maybe'], /--tls must be one of off, starttls, implicit/],
    [['rooms', '--config', '/nonexistent/keep.json'], /cannot read config file \/nonexistent\/keep\.json: ENOENT/],
  ])('exits 2 on bad usage: keep %j', async (args, message) => {
    const run = await runKeep(args, dora());
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(message);
  });

  it('exits 2 when interactive mode has no terminal', async () => {
    const run = await runKeep([], dora());
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/interactive mode needs a terminal; give a command instead/);
  });

  it('exits 2 on an empty message body, before connecting', async () => {
    const run = await runKeep(['post', 'Lobby'], clientEnv(1, 'dora', 'dora-pw'), '  \n');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/the message is empty/);
  });

  it('exits 2 without a password and no terminal to ask on', async () => {
    const env = clientEnv(keep.ports.native, 'dora', '');
    delete env.KEEP_PASSWORD;
    const run = await runKeep(['whoami'], env);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/no password: use --password, KEEP_PASSWORD or the config file/);
  });

  it('exits 2 when the server is down', async () => {
    // a port that was just listening and is now closed: nothing answers there
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const run = await runKeep(['rooms'], clientEnv(port, 'dora', 'dora-pw'));
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^keep: cannot connect to 127\.0\.0\.1:\d+: connection refused \(is keepd running\?\)$/);
  });
});
