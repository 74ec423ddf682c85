// Less leaking: a room you may not read answers exactly like a room that does not exist, and a
// message number in such a room like a number never used, on every protocol (native, IMAP, NNTP,
// the HTTP history API, WebSocket say); a Message-ID claimed in advance by someone else neither
// hides the real message nor shows it to those who may not read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { Raw } from '../imap/fixture.ts';
import { NntpClient } from '../nntp/nntp-client.ts';
import { ChatClient, login } from '../chat/chat-client.ts';

let keep: Keep;
let secretMsg: number;
let secretGroup: string;
const closers: (() => void)[] = [];
beforeAll(async () => {
  keep = await startKeep();
  const admin = await NativeClient.connect(keep.ports.native);
  closers.push(() => admin.close());
  expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
  for (const u of ['alice', 'mallory']) expect((await admin.cmd(`CREU ${u}|${u}-pw`)).code).toBe(200);
  expect((await admin.cmd('CRE8 1|Secret|3||0')).code).toBe(200);
  expect((await admin.cmd('GOTO Secret')).code).toBe(200);
  expect((await admin.cmd('ENT0 1||0|1|plans|')).code).toBe(400);
  admin.sendListing(['the plans']);
  secretMsg = Number((await admin.cmd('MSGS LAST|1')).lines[0]);
  const news = await NntpClient.connect(keep.ports.nntp);
  closers.push(() => news.close());
  await news.login('admin', keep.adminPassword);
  secretGroup = (await news.cmd('LIST ACTIVE', true)).lines.map((l) => l.split(' ')[0]!).find((g) => g.endsWith('.secret'))!;
  expect(secretGroup).toBeDefined();
}, 300_000);
afterAll(async () => {
  for (const c of closers) c();
  await keep?.stop();
});

/** Replies with the room name or number that was asked for taken out, to compare two answers. */
const same = (a: string, b: string, ...names: [string, string][]) => {
  let x = a;
  let y = b;
  for (const [n, m] of names) {
    x = x.split(n).join('<name>');
    y = y.split(m).join('<name>');
  }
  expect(x).toBe(y);
};

describe('a private room answers like a missing one', () => {
  it('over native GOTO and MSG0', async () => {
    const alice = await NativeClient.connect(keep.ports.native);
    closers.push(() => alice.close());
    expect((await alice.login('alice', 'alice-pw')).code).toBe(200);
    same((await alice.cmd('GOTO Secret')).raw, (await alice.cmd('GOTO Nowhere')).raw, ['Secret', 'Nowhere']);
    expect((await alice.cmd('GOTO Lobby')).code).toBe(200);
    const unused = secretMsg + 1000;
    same((await alice.cmd(`MSG0 ${secretMsg}|0`)).raw, (await alice.cmd(`MSG0 ${unused}|0`)).raw, [String(secretMsg), String(unused)]);
    same((await alice.cmd(`MSG4 ${secretMsg}`)).raw, (await alice.cmd(`MSG4 ${unused}`)).raw, [String(secretMsg), String(unused)]);
  });

  it('over IMAP SELECT and STATUS', async () => {
    const imap = await Raw.open(keep.ports.imap);
    closers.push(() => imap.close());
    expect(await imap.cmd('a', 'LOGIN alice alice-pw')).toMatch(/a OK/);
    same(await imap.cmd('b', 'SELECT "Public/Secret"'), await imap.cmd('b', 'SELECT "Public/Nowhere"'), ['Secret', 'Nowhere']);
    same(await imap.cmd('c', 'STATUS "Public/Secret" (MESSAGES)'), await imap.cmd('c', 'STATUS "Public/Nowhere" (MESSAGES)'), ['Secret', 'Nowhere']);
  });

  it('over NNTP GROUP and ARTICLE by number', async () => {
    const news = await NntpClient.connect(keep.ports.nntp);
    closers.push(() => news.close());
    await news.login('alice', 'alice-pw');
    const nowhere = secretGroup.replace(/secret$/, 'nowhere');
    same(JSON.stringify(await news.cmd(`GROUP ${secretGroup}`)), JSON.stringify(await news.cmd(`GROUP ${nowhere}`)), [secretGroup, nowhere]);
    const lobby = (await news.cmd('LIST ACTIVE', true)).lines.map((l) => l.split(' ')[0]!).find((g) => g.endsWith('.lobby'))!;
    expect((await news.cmd(`GROUP ${lobby}`)).code).toBe(211);
    same(JSON.stringify(await news.cmd(`ARTICLE ${secretMsg}`)), JSON.stringify(await news.cmd(`ARTICLE ${secretMsg + 1000}`)), [String(secretMsg), String(secretMsg + 1000)]);
  });

  it('over the HTTP history API and WebSocket say', async () => {
    const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
    const history = async (room: string) => {
      const res = await fetch(`http://127.0.0.1:${keep.ports.http}/api/rooms/${room}/history`, { headers: { cookie } });
      return `${res.status} ${await res.text()}`;
    };
    same(await history('Secret'), await history('Nowhere'), ['Secret', 'Nowhere']);
    const ws = await ChatClient.connect(keep.ports.http, cookie);
    closers.push(() => ws.ws.close());
    const say = async (room: string) => {
      const { id: _id, ...rest } = await ws.request({ type: 'say', room, text: 'hello?' });
      return JSON.stringify(rest);
    };
    same(await say('Secret'), await say('Nowhere'), ['Secret', 'Nowhere']);
  });
});

describe('a Message-ID claimed by someone else', () => {
  it('is stored apart; each reader finds only the article they may read', async () => {
    const admin = await NntpClient.connect(keep.ports.nntp);
    const mallory = await NntpClient.connect(keep.ports.nntp);
    const alice = await NntpClient.connect(keep.ports.nntp);
    closers.push(() => admin.close(), () => mallory.close(), () => alice.close());
    await admin.login('admin', keep.adminPassword);
    await mallory.login('mallory', 'mallory-pw');
    await alice.login('alice', 'alice-pw');
    const lobby = (await alice.cmd('LIST ACTIVE', true)).lines.map((l) => l.split(' ')[0]!).find((g) => g.endsWith('.lobby'))!;
    const id = '<board-minutes-2026@keep.test>';
    const article = (from: string, group: string, body: string) => [`From: ${from}`, `Newsgroups: ${group}`, 'Subject: minutes', `Message-ID: ${id}`, '', body];
    expect((await admin.post(article('admin@keep.test', secretGroup, 'the real minutes'))).code).toBe(240);
    // mallory cannot read the first, so hers is taken, under its own index entry
    expect((await mallory.post(article('mallory@keep.test', lobby, 'fake minutes'))).code).toBe(240);
    expect((await admin.cmd(`BODY ${id}`, true)).lines).toContain('the real minutes');
    expect((await alice.cmd(`BODY ${id}`, true)).lines).toContain('fake minutes');
    // a second claim by someone who can read the first is a duplicate
    expect((await mallory.post(article('mallory@keep.test', lobby, 'again'))).code).toBe(441);
  });
});
