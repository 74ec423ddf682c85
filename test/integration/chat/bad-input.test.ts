// Bad input on /ws: malformed frames, unknown types, oversized frames, rooms without access,
// a flood, and a peer that stops answering pings. Each gets a clear error or close code,
// stores nothing it should not, and leaves other clients untouched (issue 7).
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;
const open: ChatClient[] = [];
const BURST = 15; // KEEP_WS_RATE_LIMIT 5 → bursts of 15
const MAX_BAD = 10;

async function as(user: string): Promise<ChatClient> {
  const c = await ChatClient.as(keep.ports.http, user, `${user}-pw`);
  open.push(c);
  return c;
}

async function historyTexts(user: string, room: string): Promise<string[]> {
  const { cookie } = await login(keep.ports.http, user, user === 'admin' ? keep.adminPassword : `${user}-pw`);
  const res = await fetch(`http://127.0.0.1:${keep.ports.http}/api/rooms/${encodeURIComponent(room)}/history?limit=200`, { headers: { cookie } });
  return ((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
}

beforeAll(async () => {
  keep = await startKeep({
    env: { KEEP_WS_RATE_LIMIT: '5', KEEP_WS_MAX_BAD_FRAMES: String(MAX_BAD), KEEP_WS_MAX_PAYLOAD: '4096', KEEP_WS_PING_INTERVAL: '300' },
  });
  const made = await Promise.all([
    ...['alice', 'bob', 'flo'].map((u) => keep.cli(['user', 'add', u, '--password', `${u}-pw`])),
    keep.cli(['room', 'add', 'Secret', '--kind', 'private-invite']),
  ]);
  for (const r of made) expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  for (const c of open) c.close();
  await keep?.stop();
});

describe('malformed frames', () => {
  it.each([
    ['malformed JSON', '{"type":"say",', /Malformed JSON/],
    ['a JSON array', '[1,2]', /JSON object/],
    ['no type', '{"room":"Lobby"}', /needs a 'type'/],
    ['an unknown type', '{"type":"shout","room":"Lobby"}', /Unknown type 'shout'/],
    ['a missing field', '{"type":"say","room":"Lobby"}', /'say' needs 'text'/],
    ['a field of the wrong type', '{"type":"join","room":42}', /'room' must be a string/],
  ])('answers %s with an invalid error event and stays open', async (_name, data, message) => {
    const a = await as('alice');
    a.send(data);
    const e = await a.next((f) => f.type === 'error');
    expect(e.code).toBe('invalid');
    expect(String(e.message)).toMatch(message);
    expect(await a.join('Lobby')).toMatchObject({ type: 'history' });
    a.close();
  });

  it('echoes the id of a refused frame', async () => {
    const a = await as('alice');
    expect(await a.request({ type: 'nope' })).toMatchObject({ type: 'error', code: 'invalid' });
    a.close();
  });

  it('refuses binary frames', async () => {
    const a = await as('alice');
    a.ws.send(Buffer.from('{"type":"join","room":"Lobby"}'), { binary: true });
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid', message: 'Frames must be JSON text.' });
    a.close();
  });
});

describe('limits', () => {
  it('closes with 1009 on a frame over the configured maxPayload', async () => {
    const a = await as('alice');
    await a.join('Lobby');
    a.send({ type: 'say', room: 'Lobby', text: 'x'.repeat(5000) });
    expect((await a.closed).code).toBe(1009);
    expect(await historyTexts('bob', 'Lobby')).not.toContain('x'.repeat(5000));
  });

  it('refuses a room without access with not-found and stores nothing', async () => {
    const a = await as('alice');
    expect(await a.join('Secret')).toMatchObject({ type: 'error', code: 'not-found' });
    expect(await a.request({ type: 'say', room: 'Secret', text: 'sneaky' })).toMatchObject({ type: 'error', code: 'not-found' });
    expect(await historyTexts('admin', 'Secret')).toEqual([]);
  });

  it('answers a flood with limit errors, then closes it with 1008; others keep chatting', async () => {
    const [flo, bob, alice] = [await as('flo'), await as('bob'), await as('alice')];
    for (const c of [flo, bob, alice]) await c.join('Lobby');
    for (let i = 0; i < BURST + MAX_BAD + 20; i++) flo.send({ type: 'say', room: 'Lobby', text: `flood ${i}` });
    const closed = await flo.closed;
    expect(closed).toEqual({ code: 1008, reason: 'too many bad frames' });
    expect(flo.frames.filter((f) => f.type === 'error' && f.code === 'limit').length).toBeGreaterThan(0);
    const sent = await alice.request({ type: 'say', room: 'Lobby', text: 'still here' });
    expect(sent).toMatchObject({ type: 'sent' });
    await bob.next((f) => f.type === 'message' && f.text === 'still here');
    const stored = (await historyTexts('bob', 'Lobby')).filter((t) => t.startsWith('flood '));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThanOrEqual(BURST + 2); // the burst plus what refilled meanwhile
    expect(bob.messages('Lobby').filter((m) => String(m.text).startsWith('flood ')).length).toBe(stored.length);
  });

  it('answers unavailable when paging a user who is not online', async () => {
    const a = await as('alice');
    expect(await a.request({ type: 'page', to: 'flo', text: 'are you there?' })).toMatchObject({ type: 'error', code: 'unavailable' });
  });
});

describe('ping', () => {
  it('drops a peer that stops answering pings, and keeps one that answers', async () => {
    const { cookie } = await login(keep.ports.http, 'bob', 'bob-pw');
    const silent = await ChatClient.connect(keep.ports.http, cookie, { autoPong: false } as WebSocket.ClientOptions);
    const lively = await ChatClient.connect(keep.ports.http, cookie);
    open.push(silent, lively);
    expect((await silent.closed).code).toBe(1006);
    expect(lively.ws.readyState).toBe(WebSocket.OPEN);
  });
});
