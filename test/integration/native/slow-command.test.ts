// A command trickled in a byte at a time (issue 10) keeps the idle timer alive but not the
// command-time limit: the session says goodbye when one line takes longer than it allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
beforeAll(async () => { f = await nativeFixture({ KEEP_COMMAND_TIMEOUT: '1' }); });
afterAll(async () => { await f?.stop(); });

describe('native command-time limit', () => {
  it('ends a session whose command line trickles in slower than the limit', async () => {
    const c = await f.connect();
    const trickle = setInterval(() => c.socket.write('N'), 200);
    try {
      const line = await c.readLine(10_000);
      expect(line).toMatch(/^5\d\d .*took longer than 1 seconds/);
      await c.closed;
    } finally {
      clearInterval(trickle);
    }
  });

  it('leaves a client that sends whole lines alone, however slowly', async () => {
    const c = await f.connect();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700));
      expect((await c.cmd('NOOP')).code).toBe(200);
    }
  });
});
