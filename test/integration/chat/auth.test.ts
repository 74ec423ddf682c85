// Web log-in: the JSON API, the session cookie, the WebSocket refused without it, logout (issue 7).
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;
let base: string;

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_AUTH_FAILURE_LIMIT: '3' } });
  base = `http://127.0.0.1:${keep.ports.http}`;
  for (const u of ['alice', 'mallory']) {
    const r = await keep.cli(['user', 'add', u, '--password', `${u}-pw`]);
    expect(r.code, r.stderr).toBe(0);
  }
});
afterAll(async () => {
  await keep?.stop();
});

function upgradeStatus(headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${keep.ports.http}/ws`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('POST /api/login', () => {
  it('answers 200 with an HttpOnly, SameSite session cookie that expires', async () => {
    const r = await login(keep.ports.http, 'alice', 'alice-pw');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: { name: 'alice' } });
    expect(r.setCookie).toMatch(/^keep_session=[A-Za-z0-9_-]{40,};/);
    expect(r.setCookie).toMatch(/HttpOnly/);
    expect(r.setCookie).toMatch(/SameSite=Strict/);
    expect(r.setCookie).toMatch(/Max-Age=86400/);
  });

  it('answers 401 on a wrong password and sets no cookie', async () => {
    const r = await login(keep.ports.http, 'alice', 'nope');
    expect(r.status).toBe(401);
    expect(r.setCookie).toBe('');
    expect(r.body).toMatchObject({ error: { code: 'bad-credentials' } });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{user:' });
    expect(res.status).toBe(400);
    const form = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=alice&password=alice-pw' });
    expect(form.status).toBe(400);
  });
});

describe('the API without a session', () => {
  it.each(['/api/rooms', '/api/me', '/api/who', '/api/rooms/Lobby/history'])('answers 401 on %s', async (path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'not-logged-in' } });
  });
});

describe('GET /ws', () => {
  it('refuses the upgrade with 401 without a session cookie', async () => {
    expect(await upgradeStatus()).toBe(401);
    expect(await upgradeStatus({ cookie: 'keep_session=forged' })).toBe(401);
  });

  it('refuses an upgrade from another origin', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    expect(await upgradeStatus({ cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ cookie, origin: `http://127.0.0.1:${keep.ports.http}` })).toBe(101);
  });

  it('greets a logged-in user with hello and who is online', async () => {
    const c = await ChatClient.as(keep.ports.http, 'alice', 'alice-pw');
    expect(c.frames[0]).toMatchObject({ type: 'hello', user: { name: 'alice' } });
    const who = await c.next((f) => f.type === 'presence');
    expect((who.users as { name: string }[]).map((u) => u.name)).toContain('alice');
    c.close();
  });
});

describe('POST /api/logout', () => {
  it('ends the session: its WebSocket closes with 4001 and the cookie no longer works', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    const c = await ChatClient.connect(keep.ports.http, cookie);
    const res = await fetch(`${base}/api/logout`, { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect(await c.closed).toEqual({ code: 4001, reason: 'logged out' });
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(401);
    expect(await upgradeStatus({ cookie })).toBe(401);
  });
});

describe('GET /api/rooms', () => {
  it('lists rooms with unread counts, without mailboxes', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    const c = await ChatClient.connect(keep.ports.http, cookie);
    await c.join('Lobby');
    expect(await c.request({ type: 'say', room: 'Lobby', text: 'count me' })).toMatchObject({ type: 'sent' });
    const res = await fetch(`${base}/api/rooms`, { headers: { cookie } });
    const body = (await res.json()) as { rooms: { name: string; kind: string; unread: number }[] };
    const lobby = body.rooms.find((r) => r.name === 'Lobby');
    expect(lobby?.unread).toBeGreaterThanOrEqual(1);
    expect(body.rooms.some((r) => r.kind === 'mailbox')).toBe(false);
    const last = c.messages('Lobby').at(-1) ?? (await c.next((f) => f.type === 'message'));
    await c.request({ type: 'seen', room: 'Lobby', msgnum: last.msgnum });
    const after = (await (await fetch(`${base}/api/rooms`, { headers: { cookie } })).json()) as typeof body;
    expect(after.rooms.find((r) => r.name === 'Lobby')?.unread).toBe(0);
    const hist = (await (await fetch(`${base}/api/rooms/Lobby/history`, { headers: { cookie } })).json()) as { messages: { text: string }[] };
    expect(hist.messages.at(-1)?.text).toBe('count me');
    c.close();
  });
});

describe('log-in throttle', () => {
  it('throttles repeated failures with 429, even for the right password (runs last: it locks the address)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(keep.ports.http, 'mallory', 'wrong')).status);
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
    const r = await login(keep.ports.http, 'mallory', 'mallory-pw');
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ error: { code: 'limit' } });
  });
});
