// A web login session expires after KEEP_HTTP_SESSION_TTL: its WebSockets close with 4001 and
// the cookie stops working (issue 7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_HTTP_SESSION_TTL: '2' } });
  const r = await keep.cli(['user', 'add', 'alice', '--password', 'alice-pw']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await keep?.stop();
});

describe('session expiry', () => {
  it('closes the WebSocket with 4001 session expired and refuses the cookie afterwards', async () => {
    const { cookie, setCookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    expect(setCookie).toMatch(/Max-Age=2/);
    const c = await ChatClient.connect(keep.ports.http, cookie);
    expect(await c.closed).toEqual({ code: 4001, reason: 'session expired' });
    expect((await fetch(`http://127.0.0.1:${keep.ports.http}/api/me`, { headers: { cookie } })).status).toBe(401);
  });
});
