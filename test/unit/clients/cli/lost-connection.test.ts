// The `keep` command against a server that dies or hangs mid-session. A scripted fake server
// makes the moment of death exact; the real keepd cases are in test/integration/cli.
import { afterEach, describe, expect, it } from 'vitest';
import { clientEnv, expectOneLineError, runKeep } from '../../../integration/cli/run-keep.ts';
import { startFakeServer, type FakeServer, type Handler } from './fake-server.ts';

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

/** Answers the login flow like keepd, then hands every other command to `rest`. */
function loginThen(rest: Handler): Handler {
  return (line, socket) => {
    if (line === 'INFO') return ['100 Server info:', '1', 'fake', 'Fake node', 'fake.test', 'fake', '902', '', '', '0', 'more', '1', '1', '000'];
    if (/^(IDEN|MSGP)/.test(line)) return '200 ok';
    if (line.startsWith('USER ')) return '300 Password required';
    if (line.startsWith('PASS ')) return '200 bob|3|1|0|0|2|0';
    return rest(line, socket);
  };
}

describe('keep when the server goes away mid-session', () => {
  it('says the connection was lost and exits 2 when the server closes mid-command', async () => {
    server = await startFakeServer(loginThen((line, socket) => {
      if (line.startsWith('GOTO')) return '200 Lobby|1|1|0|3|5|0|0|0|0|0|0|0|0|0|0|';
      if (line.startsWith('MSGS')) { socket.destroy(); return undefined; }
      return '200 ok';
    }));
    const run = await runKeep(['read', 'Lobby'], clientEnv(server.port, 'bob', 'pw'));
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^keep: connection lost: 127\.0\.0\.1:\d+ closed the connection$/);
  });

  it('gives up on a server that stops answering, after --timeout', async () => {
    server = await startFakeServer(loginThen(() => undefined));
    const run = await runKeep(['rooms', '--timeout', '1'], clientEnv(server.port, 'bob', 'pw'));
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^keep: no reply from 127\.0\.0\.1:\d+ within 1s$/);
  });

  it('reports a server that greets with an error', async () => {
    server = await startFakeServer(() => undefined, '551 fake: Too many users are already online (maximum is 1)');
    const run = await runKeep(['rooms'], clientEnv(server.port, 'bob', 'pw'));
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/refused the connection: fake: Too many users/);
  });
});
