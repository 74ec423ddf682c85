// Native instant messages, presence and room chat: SEXP (one-line and listing forms, broadcast),
// GEXP with the `*` flag rule and the "more" field, DEXP, RWHO, RCHT between two sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
beforeAll(async () => { f = await nativeFixture(); });
afterAll(async () => { await f?.stop(); });

describe('native instant messages', () => {
  it('delivers a page; `*` appears only while GEXP has something, with a correct more field', async () => {
    const alice = await f.as('Alice');
    const bob = await f.as('Bob');
    const before = Math.floor(Date.now() / 1000);
    expect((await alice.cmd('NOOP')).raw).toBe('200 ok');
    expect((await bob.cmd('SEXP Alice||')).raw).toBe('200 Ok to send message.');
    expect((await bob.cmd('SEXP Alice|-')).raw).toBe('400 Transmit message (will deliver to 1 users)');
    bob.sendListing(['Hi Alice, are you there? ', ' ']);
    expect(await bob.isSilent(200)).toBe(true);
    expect((await bob.cmd('SEXP Alice|second one')).raw).toBe('200 Message sent.');
    const noop = await alice.cmd('NOOP');
    expect(noop.raw).toBe('200*ok');
    expect((await alice.cmd('GOTO _BASEROOM_|')).star).toBe(true);
    expect((await alice.cmd('RWHO')).star).toBe(true);
    const first = await alice.cmd('GEXP');
    expect(first.code).toBe(100);
    const [more, epoch, flags, sender, node] = first.text.split('|');
    expect(more).toBe('1');
    expect(Number(epoch)).toBeGreaterThanOrEqual(before); // sent during this test
    expect(Number(epoch)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(flags).toBe('0');
    expect(sender).toBe('Bob');
    expect(node).toBe('keep');
    expect(first.lines).toEqual(['Hi Alice, are you there? ', ' ']);
    const second = await alice.cmd('GEXP');
    expect(second.text.split('|')[0]).toBe('0');
    expect(second.lines).toEqual(['second one']);
    expect((await alice.cmd('NOOP')).raw).toBe('200 ok');
    expect((await alice.cmd('GEXP')).raw).toBe('570 No instant messages waiting.');
    // an empty name answers the last pager
    expect((await alice.cmd('SEXP |back at you')).code).toBe(200);
    expect((await bob.cmd('GEXP')).lines).toEqual(['back at you']);
  });

  it('refuses unknown, offline and do-not-disturb users, and broadcasts for aides only', async () => {
    const carl = await f.as('Carl');
    expect((await carl.cmd('SEXP nobody-at-all||')).code).toBe(570);
    expect((await carl.cmd('SEXP admin||')).code).toBe(553);
    const dora = await f.as('Dora');
    expect((await dora.cmd('DEXP 0')).raw).toBe('200 0');
    expect((await carl.cmd('SEXP Dora||')).code).toBe(553);
    expect((await dora.cmd('DEXP 1')).raw).toBe('200 1');
    expect((await dora.cmd('DEXP')).raw).toBe('200 1');
    expect((await carl.cmd('SEXP Dora||')).code).toBe(200);
    expect((await carl.cmd('SEXP broadcast|hello all')).code).toBe(550);
    const admin = await f.as('admin');
    expect((await admin.cmd('SEXP broadcast|system notice')).code).toBe(200);
    const got = await dora.cmd('GEXP');
    expect(got.text.split('|')[2]).toBe('1');
    expect(got.lines).toEqual(['system notice']);
  });

  it('lists sessions with RWHO, marking a room in chat', async () => {
    const eve = await f.as('Eve');
    const w = await eve.cmd('RWHO');
    expect(w.code).toBe(100);
    const line = w.lines.find((l) => l.split('|')[1] === 'Eve')!;
    const fields = line.split('|');
    expect(fields).toHaveLength(12);
    expect(fields[2]).toBe('Lobby');
    expect(fields[3]).toBe('127.0.0.1');
    await eve.cmd('RCHT enter');
    const inChat = (await eve.cmd('RWHO')).lines.find((l) => l.split('|')[1] === 'Eve')!;
    expect(inChat.split('|')[2]).toBe('Lobby<chat>');
    await eve.cmd('RCHT exit');
  });
});

describe('native STEL', () => {
  it('hides a stealthy aide from non-aides in RWHO, and refuses others', async () => {
    const admin = await f.as('admin');
    const viewer = await f.as('Kate');
    expect((await viewer.cmd('STEL 1')).code).toBe(550);
    const sid = (await admin.cmd('INFO')).lines[0];
    const sessions = async () => (await viewer.cmd('RWHO')).lines.map((l) => l.split('|')[0]);
    expect(await sessions()).toContain(sid);
    expect((await admin.cmd('STEL 1')).raw).toBe('200 1');
    expect(await sessions()).not.toContain(sid);
    const own = (await admin.cmd('RWHO')).lines.find((l) => l.split('|')[0] === sid)!;
    expect(own.split('|')[7]).toBe('-');
    expect((await admin.cmd('STEL 0')).raw).toBe('200 0');
    expect(await sessions()).toContain(sid);
  });
});

describe('native RCHT', () => {
  it('crosses chat lines between two sessions in the same room, one line per poll', async () => {
    const a = await f.as('Fred');
    const b = await f.as('Gina');
    for (const c of [a, b]) expect((await c.cmd('RCHT enter')).raw).toBe('200 Entering chat mode.');
    expect((await a.cmd('RCHT poll|0')).raw).toBe('570 no messages');
    expect((await a.cmd('RCHT send')).raw).toBe('400 send now');
    a.sendListing(['hello from fred']);
    expect(await a.isSilent(200)).toBe(true);
    expect((await b.cmd('RCHT send')).code).toBe(400);
    b.sendListing(['hi fred', 'second line']);
    const p1 = await b.cmd('RCHT poll|0');
    expect(p1.code).toBe(100);
    const [seq, , sender] = p1.text.split('|');
    expect(sender).toBe('Fred');
    expect(p1.lines).toEqual(['hello from fred']);
    const p2 = await b.cmd(`RCHT poll|${seq}`);
    expect(p2.lines).toEqual(['hi fred']);
    expect(p2.text.split('|')[2]).toBe('Gina');
    const p3 = await b.cmd(`RCHT poll|${p2.text.split('|')[0]}`);
    expect(p3.lines).toEqual(['second line']);
    expect((await b.cmd(`RCHT poll|${p3.text.split('|')[0]}`)).code).toBe(570);
    expect((await a.cmd('RCHT rwho')).lines).toEqual(expect.arrayContaining(['Fred', 'Gina']));
    expect((await a.cmd('RCHT exit')).raw).toBe('200 Exiting chat mode.');
    expect((await a.cmd('RCHT poll|0')).code).toBe(560);
    expect((await a.cmd('RCHT dance')).code).toBe(512);
  });

  it('stores chat lines as messages in the room, so other protocols see them', async () => {
    const c = await f.as('Hans');
    await c.cmd('RCHT enter');
    await c.cmd('RCHT send');
    c.sendListing(['kept as a message']);
    await c.cmd('RCHT exit');
    const n = (await c.cmd('MSGS LAST|1|0')).lines[0];
    expect((await c.cmd(`MSG4 ${n}|0`)).lines.at(-1)).toBe('kept as a message');
  });

  it('does not replay lines said before a chatter entered', async () => {
    const early = await f.as('Ida');
    await early.cmd('RCHT enter');
    await early.cmd('RCHT send');
    early.sendListing(['before you came']);
    expect((await early.cmd('RCHT poll|0')).lines).toEqual(['before you came']);
    const late = await f.as('Jon');
    await late.cmd('RCHT enter');
    expect((await late.cmd('RCHT poll|0')).code).toBe(570);
  });
});
