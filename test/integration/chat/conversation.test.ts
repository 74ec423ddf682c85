// Web chat over /ws against the real server: history, fan-out, storage, typing, presence,
// instant messages and direct chats, and the same conversation seen from the native protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from './chat-client.ts';

let keep: Keep;
const open: { close(): void }[] = [];

async function as(user: string): Promise<ChatClient> {
  const c = await ChatClient.as(keep.ports.http, user, `${user}-pw`);
  open.push(c);
  return c;
}

async function native(user: string): Promise<NativeClient> {
  const n = await NativeClient.connect(keep.ports.native);
  open.push(n);
  await n.login(user, `${user}-pw`);
  return n;
}

beforeAll(async () => {
  keep = await startKeep();
  const made = await Promise.all([
    ...['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((u) => keep.cli(['user', 'add', u, '--password', `${u}-pw`])),
    keep.cli(['room', 'add', 'Tea Room']),
  ]);
  for (const r of made) expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  for (const c of open) c.close();
  await keep?.stop();
});

describe('join', () => {
  it('answers with the recent history from the store, oldest first', async () => {
    const a = await as('alice');
    await a.join('Tea Room');
    for (const text of ['one', 'two', 'three']) expect(await a.request({ type: 'say', room: 'Tea Room', text })).toMatchObject({ type: 'sent' });
    const b = await as('bob');
    const h = await b.join('tea room');
    expect(h).toMatchObject({ type: 'history', room: 'Tea Room', isResume: false });
    const texts = (h.messages as { text: string; from: string; msgnum: number }[]).map((m) => m.text);
    expect(texts.slice(-3)).toEqual(['one', 'two', 'three']);
    expect((h.members as string[])).toEqual(expect.arrayContaining(['alice', 'bob']));
  });

  it('answers not-found for a room that does not exist', async () => {
    const a = await as('alice');
    expect(await a.join('Nowhere')).toMatchObject({ type: 'error', code: 'not-found' });
  });

  it('refuses a mailbox', async () => {
    const a = await as('alice');
    expect(await a.join('Mail')).toMatchObject({ type: 'error', code: 'invalid' });
  });
});

describe('say', () => {
  it('reaches every chatter in the room once, and is stored as a message in the room', async () => {
    const [a, b, c] = [await as('alice'), await as('bob'), await as('carol')];
    for (const x of [a, b, c]) await x.join('Lobby');
    const sent = await a.request({ type: 'say', room: 'Lobby', text: 'hello, lobby' });
    for (const x of [a, b, c]) {
      const m = await x.next((f) => f.type === 'message' && f.text === 'hello, lobby');
      expect(m).toMatchObject({ room: 'Lobby', from: 'alice', msgnum: sent.msgnum });
      expect(typeof m.time).toBe('number');
    }
    const { cookie } = await login(keep.ports.http, 'dave', 'dave-pw');
    const hist = (await (await fetch(`http://127.0.0.1:${keep.ports.http}/api/rooms/Lobby/history`, { headers: { cookie } })).json()) as { messages: { msgnum: number; text: string }[] };
    expect(hist.messages.find((m) => m.msgnum === sent.msgnum)?.text).toBe('hello, lobby');
    expect(b.messages('Lobby').filter((m) => m.msgnum === sent.msgnum)).toHaveLength(1);
  });

  it('reaches 250 connections (several flush slices) with every line, each in the order said', async () => {
    const { cookie } = await login(keep.ports.http, 'frank', 'frank-pw');
    const many = await Promise.all(Array.from({ length: 250 }, () => ChatClient.connect(keep.ports.http, cookie)));
    try {
      await Promise.all(many.map((c) => c.join('Tea Room')));
      const texts = Array.from({ length: 20 }, (_, i) => `burst ${i}`);
      // said without waiting, so several lines share commits and flush rounds
      const sent = await Promise.all(texts.map((text) => many[0]!.request({ type: 'say', room: 'Tea Room', text })));
      const order = [...sent].sort((x, y) => (x.msgnum as number) - (y.msgnum as number)).map((f) => f.msgnum);
      for (const c of many) {
        await c.next((f) => f.type === 'message' && f.msgnum === order.at(-1), 10_000);
        const got = c.messages('Tea Room').map((m) => m.msgnum).filter((n) => order.includes(n));
        expect(got).toEqual(order);
      }
    } finally {
      for (const c of many) c.close();
      await Promise.all(many.map((c) => c.closed));
    }
  });

  it('does not reach a connection that left the room', async () => {
    const [a, b] = [await as('alice'), await as('bob')];
    await a.join('Lobby');
    await b.join('Lobby');
    expect(await b.request({ type: 'leave', room: 'Lobby' })).toMatchObject({ type: 'left', room: 'Lobby' });
    const sent = await a.request({ type: 'say', room: 'Lobby', text: 'after bob left' });
    await a.next((f) => f.msgnum === sent.msgnum && f.type === 'message');
    expect(await b.request({ type: 'typing', room: 'Lobby' })).toMatchObject({ type: 'error', code: 'invalid' });
    expect(b.messages('Lobby').some((m) => m.text === 'after bob left')).toBe(false);
  });
});

describe('typing', () => {
  it('tells the others in the room who is typing', async () => {
    const [a, b] = [await as('alice'), await as('bob')];
    await a.join('Tea Room');
    await b.join('Tea Room');
    a.send({ type: 'typing', room: 'Tea Room' });
    expect(await b.next((f) => f.type === 'typing')).toEqual({ type: 'typing', room: 'Tea Room', name: 'alice' });
  });
});

describe('presence', () => {
  it('lists web and native users alike, and the native who list shows web users', async () => {
    const w = await as('dave');
    const n = await native('erin');
    const who = await w.next((f) => f.type === 'presence' && (f.users as { name: string }[]).some((u) => u.name === 'erin'));
    const erin = (who.users as { name: string; via: string[] }[]).find((u) => u.name === 'erin');
    expect(erin?.via).toContain('native');
    const rwho = await n.cmd('RWHO');
    expect(rwho.code).toBe(100);
    expect(rwho.lines.some((l) => l.includes('|dave|'))).toBe(true);
    n.close();
    await w.next((f) => f.type === 'presence' && !(f.users as { name: string }[]).some((u) => u.name === 'erin'));
  });
});

describe('page', () => {
  it('delivers an instant message between two web users', async () => {
    const [a, b] = [await as('alice'), await as('bob')];
    expect(await a.request({ type: 'page', to: 'bob', text: 'psst' })).toMatchObject({ type: 'sent' });
    expect(await b.next((f) => f.type === 'page' && f.text === 'psst')).toMatchObject({ from: 'alice', isBroadcast: false });
  });

  it('answers not-found for a user who does not exist', async () => {
    const a = await as('alice');
    expect(await a.request({ type: 'page', to: 'carol-nobody', text: 'x' })).toMatchObject({ type: 'error', code: 'not-found' });
  });

  it('crosses to a native user (GEXP) and back (SEXP)', async () => {
    const w = await as('carol');
    const n = await native('erin');
    expect(await w.request({ type: 'page', to: 'erin', text: 'from the web' })).toMatchObject({ type: 'sent' });
    const got = await n.cmd('GEXP');
    expect(got.code).toBe(100);
    expect(got.raw).toBeTruthy();
    expect(got.lines.join('\n')).toContain('from the web');
    expect((await n.cmd('SEXP carol|from the terminal')).code).toBe(200);
    expect(await w.next((f) => f.type === 'page' && f.text === 'from the terminal')).toMatchObject({ from: 'erin' });
    n.close();
  });
});

describe('direct', () => {
  it('opens one shared room for two users; lines reach the other even before they join it', async () => {
    const [a, b] = [await as('alice'), await as('bob')];
    const d = await a.request({ type: 'direct', user: 'bob' });
    expect(d).toMatchObject({ type: 'direct', room: 'alice+bob', with: 'bob' });
    expect(await b.next((f) => f.type === 'direct')).toMatchObject({ room: 'alice+bob', with: 'alice' });
    expect((await b.request({ type: 'direct', user: 'alice' })).room).toBe('alice+bob');
    await a.join('alice+bob');
    const sent = await a.request({ type: 'say', room: 'alice+bob', text: 'just us' });
    expect(await b.next((f) => f.type === 'message' && f.msgnum === sent.msgnum)).toMatchObject({ room: 'alice+bob', text: 'just us' });
    expect((await b.join('alice+bob')).messages).toEqual([expect.objectContaining({ text: 'just us' })]);
  });

  it('keeps a third user out', async () => {
    const c = await as('carol');
    expect(await c.join('alice+bob')).toMatchObject({ type: 'error', code: 'not-found' });
    expect(await c.request({ type: 'say', room: 'alice+bob', text: 'let me in' })).toMatchObject({ type: 'error', code: 'not-found' });
  });
});

describe('native room chat (RCHT)', () => {
  it('sees web lines, and its own lines reach web chatters', async () => {
    const w = await as('alice');
    await w.join('Tea Room');
    const n = await native('erin');
    expect((await n.cmd('GOTO Tea Room')).code).toBe(200);
    expect((await n.cmd('RCHT enter')).code).toBe(200);
    const sent = await w.request({ type: 'say', room: 'Tea Room', text: 'hi terminal' });
    const poll = await n.cmd(`RCHT poll|${Number(sent.msgnum) - 1}`);
    expect(poll.code).toBe(100);
    expect(poll.lines).toEqual(['hi terminal']);
    expect(poll.raw).toBeTruthy();
    expect((await n.cmd('RCHT send')).code).toBe(400);
    n.sendListing(['hi browser']);
    expect(await w.next((f) => f.type === 'message' && f.text === 'hi browser')).toMatchObject({ from: 'erin', room: 'Tea Room' });
    const rwho = await n.cmd('RCHT rwho');
    expect(rwho.lines).toEqual(expect.arrayContaining(['alice', 'erin']));
    n.close();
  });
});
