// NNTP POST (RFC 3977 §6.3.1): rooms named by Newsgroups, cross-posting as one message with
// several placements, follow-ups keep References, dot-stuffing in, and refusals that store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { article, connect, startNntpKeep, withCore } from './fixture.ts';
import type { NntpClient } from './nntp-client.ts';

const KITCHEN = 'keep.main-floor.kitchen';
const LOBBY = 'keep.main-floor.lobby';
let keep: Keep;
let alice: NntpClient;

beforeAll(async () => {
  keep = await startNntpKeep();
  alice = await connect(keep, 'alice');
});
afterAll(async () => {
  alice?.close();
  await keep?.stop();
});

const idOf = (text: string) => /<[^>]+>/.exec(text)![0];
const count = async (group: string, c = alice) => Number((await c.cmd(`GROUP ${group}`)).text.split(' ')[0]);

describe('NNTP POST', () => {
  it('stores an article after 340 and answers 240; another session sees it at once', async () => {
    const r = await alice.post(article({ groups: KITCHEN, subject: 'Fresh', body: ['fresh body'] }));
    expect(r.code).toBe(240);
    const bob = await connect(keep, 'bob');
    const got = await bob.cmd(`ARTICLE ${idOf(r.text)}`);
    expect(got.code).toBe(220);
    expect(got.lines).toContain('Subject: Fresh');
    bob.close();
    // the same message as the native client and IMAP see it: one placement in Kitchen, its text
    const { text, inKitchen } = await withCore(keep, async (core) => {
      const system = { kind: 'system', name: 'test', origin: 'test' } as const;
      const m = core.messages.findByMessageId(system, idOf(r.text))!;
      const kitchen = core.rooms.findByName(system, 'Kitchen')!;
      return { text: core.messages.text(system, m.msgnum), inKitchen: core.messages.list(system, kitchen.roomnum).includes(m.msgnum) };
    });
    expect(text.trim()).toBe('fresh body');
    expect(inKitchen).toBe(true);
  });

  it('undoes dot-stuffing of posted lines and keeps a lone dot inside a line', async () => {
    const r = await alice.post(article({ groups: KITCHEN, subject: 'Dots', body: ['.', '..', '.x', 'a.b', '. trailing'] }));
    expect(r.code).toBe(240);
    expect((await alice.cmd(`BODY ${idOf(r.text)}`)).lines).toEqual(['.', '..', '.x', 'a.b', '. trailing']);
  });

  it('cross-posts as one message placed in each group, with the same number and Xref naming both', async () => {
    const r = await alice.post(article({ groups: `${KITCHEN},${LOBBY}`, subject: 'Both rooms', body: ['x'] }));
    expect(r.code).toBe(240);
    const id = idOf(r.text);
    await alice.cmd(`GROUP ${KITCHEN}`);
    const inKitchen = (await alice.cmd(`STAT ${id}`)).text.split(' ')[0];
    await alice.cmd(`GROUP ${LOBBY}`);
    const inLobby = (await alice.cmd(`STAT ${id}`)).text.split(' ')[0];
    expect(inKitchen).toBe(inLobby);
    expect(Number(inKitchen)).toBeGreaterThan(0);
    const head = await alice.cmd(`HEAD ${inLobby}`);
    expect(head.lines).toContain(`Xref: keep.test ${KITCHEN}:${inKitchen} ${LOBBY}:${inLobby}`);
    const stored = await withCore(keep, async (core) => core.messages.count());
    const msgs = await withCore(keep, async (core) => core.messages.findByMessageId({ kind: 'system', name: 'test', origin: 'test' }, id));
    expect(msgs?.msgnum).toBe(Number(inKitchen));
    expect(stored).toBeGreaterThan(0);
  });

  it('keeps References on a follow-up and shows them in OVER', async () => {
    const parent = idOf((await alice.post(article({ groups: KITCHEN, subject: 'Question', body: ['?'] }))).text);
    const r = await alice.post(article({ groups: KITCHEN, subject: 'Re: Question', body: ['!'], extra: [`References: ${parent}`] }));
    expect(r.code).toBe(240);
    const head = await alice.cmd(`HEAD ${idOf(r.text)}`);
    expect(head.lines).toContain(`References: ${parent}`);
    await alice.cmd(`GROUP ${KITCHEN}`);
    const over = await alice.cmd(`OVER ${idOf(r.text)}`);
    expect(over.lines[0]!.split('\t')[5]).toBe(parent);
  });

  it('keeps a Message-ID the poster gave and refuses a duplicate with 441', async () => {
    const r = await alice.post(article({ groups: KITCHEN, subject: 'Own id', body: ['x'], extra: ['Message-ID: <own-id-1@client.example>'] }));
    expect(r).toMatchObject({ code: 240, text: 'Article received <own-id-1@client.example>' });
    const before = await count(KITCHEN);
    const again = await alice.post(article({ groups: KITCHEN, subject: 'Own id again', body: ['x'], extra: ['Message-ID: <own-id-1@client.example>'] }));
    expect(again.code).toBe(441);
    expect(await count(KITCHEN)).toBe(before);
  });

  it.each([
    ['no From', ['Newsgroups: keep.main-floor.kitchen', 'Subject: s', '', 'b']],
    ['no Subject', ['From: a@b.c', 'Newsgroups: keep.main-floor.kitchen', '', 'b']],
    ['no Newsgroups', ['From: a@b.c', 'Subject: s', '', 'b']],
    ['no header section', ['just a body line', 'and another']],
    ['an unknown group', ['From: a@b.c', 'Newsgroups: keep.nowhere.at-all', 'Subject: s', '', 'b']],
    ['a private group the poster cannot see', ['From: a@b.c', 'Newsgroups: keep.main-floor.secret-room', 'Subject: s', '', 'b']],
    ['a read-only room', ['From: a@b.c', 'Newsgroups: keep.main-floor.news', 'Subject: s', '', 'b']],
    ['a cross-post that includes a read-only room', ['From: a@b.c', 'Newsgroups: keep.main-floor.kitchen,keep.main-floor.news', 'Subject: s', '', 'b']],
  ])('refuses an article with %s with 441 and stores nothing', async (_what, lines) => {
    const before = await withCore(keep, async (core) => core.messages.count());
    const r = await alice.post(lines);
    expect(r.code).toBe(441);
    expect(await withCore(keep, async (core) => core.messages.count())).toBe(before);
    expect((await alice.cmd('DATE')).code).toBe(111); // the session goes on
  });

  it('asks for authentication (480) before POST when not logged in', async () => {
    const anon = await connect(keep);
    expect((await anon.cmd('POST')).code).toBe(480);
    anon.close();
  });

  it('lets a new (unvalidated, level 1) user post in a public group', async () => {
    const newbie = await connect(keep, 'newbie');
    const r = await newbie.post(['From: newbie@keep.test', `Newsgroups: ${KITCHEN}`, 'Subject: hello from a new user', '', 'Hi all.']);
    expect(r.code).toBe(240);
    newbie.close();
  });

  it('lets an aide post in a read-only room', async () => {
    const admin = await connect(keep);
    await admin.login('admin', keep.adminPassword);
    expect((await admin.post(article({ groups: 'keep.main-floor.news', subject: 'Announcement', from: 'admin <admin@keep.test>', body: ['hi'] }))).code).toBe(240);
    admin.close();
  });
});
