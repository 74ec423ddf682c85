// Reliability on /ws: resuming after a dropped connection without losing or duplicating lines,
// and cutting off a slow consumer (1013) without slowing anyone else (issue 7).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;
const open: ChatClient[] = [];
const MAX_BUFFERED = 64 * 1024;

async function as(user: string): Promise<ChatClient> {
  const c = await ChatClient.as(keep.ports.http, user, `${user}-pw`);
  open.push(c);
  return c;
}

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_WS_MAX_BUFFERED: String(MAX_BUFFERED), KEEP_WS_RATE_LIMIT: '2000' } });
  const made = await Promise.all(['alice', 'bob', 'carol'].map((u) => keep.cli(['user', 'add', u, '--password', `${u}-pw`])));
  for (const r of made) expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  const closing = open.splice(0).map((c) => {
    c.close();
    return c.closed;
  });
  await Promise.all(closing);
});
afterAll(async () => {
  await keep?.stop();
});

describe('resume', () => {
  it('sends every line said while away exactly once, even while lines keep coming', async () => {
    const bob = await as('bob');
    await bob.join('Lobby');
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    let alice = await ChatClient.connect(keep.ports.http, cookie);
    await alice.join('Lobby');
    const said: number[] = [];
    const say = async (text: string) => said.push(Number((await bob.request({ type: 'say', room: 'Lobby', text })).msgnum));
    for (let i = 0; i < 5; i++) await say(`before ${i}`);
    await alice.next((f) => f.type === 'message' && f.msgnum === said.at(-1));
    const received = alice.messages('Lobby').map((m) => Number(m.msgnum));
    alice.ws.terminate(); // the network drops: no close handshake
    await alice.closed;
    for (let i = 0; i < 5; i++) await say(`away ${i}`);
    // reconnect while bob keeps talking: history and live lines must join without a gap or overlap
    const talking = (async () => {
      for (let i = 0; i < 20; i++) await say(`during ${i}`);
    })();
    alice = await ChatClient.connect(keep.ports.http, cookie);
    open.push(alice);
    const h = await alice.join('Lobby', { since: received.at(-1) });
    expect(h).toMatchObject({ type: 'history', isResume: true, isTruncated: false });
    await talking;
    await alice.next((f) => f.type === 'message' && f.msgnum === said.at(-1));
    const got = [...received, ...(h.messages as { msgnum: number }[]).map((m) => m.msgnum), ...alice.messages('Lobby').map((m) => Number(m.msgnum))];
    expect(got).toEqual(said);
  });
});

describe('slow consumer', () => {
  it('cuts off a client that stops reading, with 1013, while others are served', async () => {
    const [alice, bob, carol] = [await as('alice'), await as('bob'), await as('carol')];
    await bob.join('Lobby');
    await carol.join('Lobby');
    bob.ws.pause(); // bob stops reading: the server's send buffer for him grows
    const big = 'z'.repeat(8000);
    let isCut = false;
    const cut = alice.next((f) => f.type === 'presence' && !(f.users as { name: string }[]).some((u) => u.name === 'bob'), 20_000, alice.frames.length)
      .then(() => { isCut = true; });
    for (let round = 0; round < 200 && !isCut; round++) {
      for (let i = 0; i < 20; i++) alice.send({ type: 'page', to: 'bob', text: big });
      await alice.request({ type: 'page', to: 'bob', text: 'sync' });
    }
    await cut;
    const sent = await carol.request({ type: 'say', room: 'Lobby', text: 'carol goes on' });
    expect(sent).toMatchObject({ type: 'sent' });
    await carol.next((f) => f.type === 'message' && f.msgnum === sent.msgnum, 2_000);
    expect(await alice.request({ type: 'page', to: 'bob', text: 'gone?' })).toMatchObject({ type: 'error', code: 'unavailable' });
    bob.ws.resume();
    expect(await bob.closed).toEqual({ code: 1013, reason: 'slow consumer' });
    const metrics = await (await fetch(`http://127.0.0.1:${keep.ports.http}/metrics`)).text();
    expect(metrics).toMatch(/^keep_ws_slow_consumers_total 1$/m);
  });
});
