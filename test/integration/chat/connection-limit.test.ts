// The HTTP listener refuses connections past KEEP_MAX_CONNECTIONS_PER_ADDRESS, WebSockets
// included, and takes new ones once others close (issue 7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_MAX_CONNECTIONS_PER_ADDRESS: '3' } });
  const r = await keep.cli(['user', 'add', 'alice', '--password', 'alice-pw']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await keep?.stop();
});

/** Connect and return all the server says before it closes (bounded). */
async function rawReply(port: number): Promise<string> {
  const s = await RawSocket.connect(port);
  try {
    await s.waitClosed();
  } finally {
    s.close();
  }
  return s.pending;
}

/** Connect, retrying while the server still counts a just-closed connection (bounded). */
async function connectSoon(cookie: string): Promise<ChatClient> {
  for (let i = 0; ; i++) {
    try {
      return await ChatClient.connect(keep.ports.http, cookie);
    } catch (err) {
      if (i >= 20 || !/503/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('connections per address', () => {
  it('answers 503 past the limit and accepts again after a close', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    const held = [await connectSoon(cookie), await connectSoon(cookie), await connectSoon(cookie)];
    expect(await rawReply(keep.ports.http)).toMatch(/^HTTP\/1\.1 503 /);
    held[0]!.close();
    await held[0]!.closed;
    const again = await connectSoon(cookie);
    expect(again.frames[0]).toMatchObject({ type: 'hello' });
    for (const c of [...held.slice(1), again]) c.close();
  });
});
