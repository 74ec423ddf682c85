// The interactive client's keepalive: a server that keeps the socket open but stops answering
// is only noticed by the NOOP timing out. A scripted server makes "stops answering" exact.
import { afterAll, describe, expect, it } from 'vitest';
import { clientEnv } from '../../../integration/cli/run-keep.ts';
import { hasTmux, TmuxServer } from '../../../integration/cli/tmux.ts';
import { startFakeServer, type FakeServer } from './fake-server.ts';

let server: FakeServer | undefined;
const tmux = new TmuxServer();
afterAll(async () => {
  tmux.kill();
  await server?.close();
});

describe.skipIf(!hasTmux)('keep interactive keepalive', () => {
  it('treats a silent server as dead after a NOOP goes unanswered, and reconnects', async () => {
    let connections = 0;
    const silent = new WeakSet<object>();
    server = await startFakeServer((line, socket) => {
      if (silent.has(socket)) return undefined;
      if (line === 'INFO') { connections++; return ['100 Server info:', '1', 'fake', 'Fake node', 'fake.test', 'fake', '902', '', '', '0', 'more', '1', '1', '000']; }
      if (line.startsWith('USER ')) return '300 Password required';
      if (line.startsWith('PASS ')) return '200 gina|3|1|0|0|2|0';
      if (line.startsWith('GOTO ')) return '200 Lobby|0|0|0|3|0|0|0|0|0|0|0|0|0|0|0|';
      if (line === 'NOOP' && connections === 1) {
        silent.add(socket); // the first connection hangs from its first keepalive on
        return undefined;
      }
      return '200 ok';
    });
    const gina = tmux.start('keepalive-gina', clientEnv(server.port, 'gina', 'pw', { KEEP_POLL: '1', KEEP_TIMEOUT: '5', TERM: 'xterm' }));
    await gina.waitFor(/\*\*\* connection to 127\.0\.0\.1:\d+ lost \(no reply from 127\.0\.0\.1:\d+ within 5s\)/); // 5 s: a loaded machine must not make the live connection look dead too
    await gina.waitFor(/\*\*\* reconnected to 127\.0\.0\.1:\d+\nLobby> $/m);
    expect(connections).toBe(2);
    gina.press('t', 'y');
    expect(await gina.waitForExit()).toBe(0);
  });
});
