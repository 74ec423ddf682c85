// Native message commands: MSGS in every mode, MSG0/MSG2/MSG4, ENT0 for posts, mail to users
// and Internet addresses, replies with references; DELE and MOVE; two sessions see each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeClient } from '../../helpers/native-client.ts';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
let admin: NativeClient;
beforeAll(async () => {
  f = await nativeFixture();
  admin = await f.as('admin');
  await admin.cmd('CRE8 1|Garden|0||0');
  await admin.cmd('CRE8 1|Shed|0||0');
});
afterAll(async () => { await f?.stop(); });

/** Create a public room and enter it: a case that asserts on a room's whole content owns the room. */
async function ownRoom(c: NativeClient, name: string): Promise<void> {
  expect((await c.cmd(`CRE8 1|${name}|0||0`)).code).toBe(200);
  expect((await c.cmd(`GOTO ${name}|`)).code).toBe(200);
}

/** Post in the client's current room; resolves after the server has stored it. */
async function post(c: NativeClient, subject: string, lines: string[], extra = ''): Promise<number> {
  expect((await c.cmd(`ENT0 0||0|1|${subject}|||||||${extra}|`)).code).toBe(200);
  expect((await c.cmd(`ENT0 1||0|1|${subject}|||||||${extra}|`)).code).toBe(400);
  c.sendListing(lines);
  const last = await c.cmd('MSGS LAST|1|0');
  return Number(last.lines[0]);
}

describe('native MSGS', () => {
  it('lists ALL, NEW, OLD, LAST, FIRST, GT and LT', async () => {
    const c = await f.as('Ada');
    await ownRoom(c, 'Orchard');
    const nums: number[] = [];
    for (let i = 1; i <= 4; i++) nums.push(await post(c, `m${i}`, [`body ${i}`]));
    const reader = await f.as('Bo');
    await reader.cmd('GOTO Orchard|');
    const list = async (q: string) => (await reader.cmd(`MSGS ${q}`)).lines.map(Number);
    expect(await list('ALL||0')).toEqual(nums);
    expect(await list('NEW||0')).toEqual(nums);
    expect(await list('OLD||0')).toEqual([]);
    await reader.cmd(`SLRP ${nums[1]}`);
    expect(await list('NEW||0')).toEqual(nums.slice(2));
    expect(await list('OLD||0')).toEqual(nums.slice(0, 2));
    expect(await list('LAST|3|0')).toEqual(nums.slice(1));
    expect(await list('FIRST|2|0')).toEqual(nums.slice(0, 2));
    expect(await list(`GT|${nums[2]}|0`)).toEqual([nums[3]]);
    expect(await list(`LT|${nums[1]}|0`)).toEqual([nums[0]]);
    expect((await reader.cmd('MSGS LAST||0')).code).toBe(512);
    expect((await reader.cmd('MSGS SOME||0')).code).toBe(512);
  });

  it('searches subjects, authors and texts with MSGS SEARCH, in any case, in the current room only', async () => {
    const c = await f.as('Cy');
    await ownRoom(c, 'Toolshed');
    const rake = await post(c, 'The RAKE', ['leaning on the wall']);
    const hoe = await post(c, 'a hoe', ['next to the Watering can']);
    await c.cmd('GOTO Garden|');
    const elsewhere = await post(c, 'watering schedule', ['mornings']);
    await c.cmd('GOTO Toolshed|');
    const search = async (words: string) => (await c.cmd(`MSGS SEARCH|${words}|0`)).lines.map(Number);
    expect(await search('rake')).toEqual([rake]);
    expect(await search('WATERING')).toEqual([hoe]); // the Garden post matches too, but is not in this room
    expect(await search('cy')).toEqual([rake, hoe]); // the author
    expect(await search('no such words')).toEqual([]);
    expect(elsewhere).toBeGreaterThan(hoe);
    expect((await c.cmd('MSGS SEARCH||0')).code).toBe(512);
    expect((await c.cmd('MSGS SEARCH|rake|1')).code).toBe(530); // templates are not supported
  });

  it('puts the newest old message in front of NEW when the user asks for it (flag 16)', async () => {
    const c = await f.as('Cy');
    await ownRoom(c, 'Meadow');
    for (const subject of ['old one', 'old two', 'new one']) await post(c, subject, [subject]);
    const all = (await c.cmd('MSGS ALL||0')).lines;
    await c.cmd(`SLRP ${all.at(-2)}`);
    await c.cmd('SETU 80|24|16');
    expect((await c.cmd('MSGS NEW||0')).lines).toEqual(all.slice(-2));
  });
});

describe('native SEEN', () => {
  it('marks one message seen and unseen in the shared read state', async () => {
    const c = await f.as('Sol');
    await c.cmd('GOTO Garden|');
    const n = await post(c, 'seen test', ['x']);
    expect((await c.cmd(`SEEN ${n}|1`)).raw).toBe('200 ok');
    expect((await c.cmd('MSGS NEW||0')).lines).not.toContain(String(n));
    expect((await c.cmd(`SEEN ${n}|0`)).code).toBe(200);
    expect((await c.cmd('MSGS NEW||0')).lines).toContain(String(n));
    expect((await c.cmd('SEEN 999999|1')).code).toBe(575);
    expect((await c.cmd(`SEEN ${n}|7`)).code).toBe(512);
  });
});

describe('native message reading', () => {
  it('serves MSG4 with headers, text, a MIME header block, a blank line and the body', async () => {
    const c = await f.as('Ada');
    await c.cmd('GOTO Garden|');
    const n = await post(c, 'Tulips', ['Tulips are up.', 'Second line.']);
    const r = await c.cmd(`MSG4 ${n}|0`);
    expect(r.code).toBe(100);
    const i = r.lines.indexOf('text');
    expect(r.lines.slice(0, i)).toEqual(expect.arrayContaining([expect.stringMatching(/^msgn=/), expect.stringMatching(/^time=\d+$/), 'from=Ada', 'room=Garden', 'subj=Tulips']));
    for (const h of r.lines.slice(0, i)) expect(h[4]).toBe('=');
    expect(r.lines[i + 1]).toBe('Content-type: text/plain; charset=utf-8');
    const blank = r.lines.indexOf('', i);
    expect(r.lines.slice(blank + 1)).toEqual(['Tulips are up.', 'Second line.']);
    const headers = await c.cmd(`MSG4 ${n}|1`);
    expect(headers.lines).not.toContain('text');
    expect((await c.cmd('MSG4 999999|0')).code).toBe(575);
    expect((await c.cmd('MSG4 x|0')).code).toBe(512);
  });

  it('serves variformat posts as text/x-citadel-variformat, MSG0 with type=, MSG2 as RFC 5322', async () => {
    const c = await f.as('Ada');
    await c.cmd('GOTO Garden|');
    await c.cmd('ENT0 1||0|0|Vari|||||||||');
    c.sendListing(['Flowing text ', ' new para ']);
    const n = (await c.cmd('MSGS LAST|1|0')).lines[0];
    expect((await c.cmd(`MSG4 ${n}|0`)).lines).toContain('Content-type: text/x-citadel-variformat; charset=utf-8');
    const m0 = await c.cmd(`MSG0 ${n}|0`);
    expect(m0.lines[0]).toBe('type=0');
    expect(m0.lines.slice(m0.lines.indexOf('text') + 1)).toEqual(['Flowing text ', ' new para ']);
    const m2 = await c.cmd(`MSG2 ${n}`);
    expect(m2.lines).toEqual(expect.arrayContaining(['Subject: Vari', 'MIME-Version: 1.0']));
    expect(m2.lines.some((l) => l.startsWith('From: Ada <ada@keep.test>'))).toBe(true);
  });

  it('refuses messages that are not in the current room', async () => {
    const c = await f.as('Ada');
    await c.cmd('GOTO Garden|');
    const n = await post(c, 'here', ['only in Garden']);
    await c.cmd('GOTO Shed|');
    expect((await c.cmd(`MSG4 ${n}|0`)).code).toBe(575);
  });
});

describe('native ENT0', () => {
  it('makes a post new for another user, who reads it', async () => {
    const writer = await f.as('Dee');
    const reader = await f.as('Eli');
    await writer.cmd('GOTO Shed|');
    await reader.cmd('GOTO Shed|');
    await reader.cmd('SLRP HIGHEST');
    const n = await post(writer, 'Rake', ['Who has the rake?']);
    const fresh = await reader.cmd('MSGS NEW||0');
    expect(fresh.lines).toEqual([String(n)]);
    const m = await reader.cmd(`MSG4 ${n}|0`);
    expect(m.lines.at(-1)).toBe('Who has the rake?');
    expect(m.lines).toContain('from=Dee');
  });

  it('threads a reply through references (wefw)', async () => {
    const c = await f.as('Dee');
    await c.cmd('GOTO Shed|');
    const first = await post(c, 'Hoe', ['Where is the hoe?']);
    const msgn = (await c.cmd(`MSG4 ${first}|1`)).lines.find((l) => l.startsWith('msgn='))!.slice(5);
    const reply = await post(c, 'Re: Hoe', ['In the shed.'], msgn);
    const r = await c.cmd(`MSG4 ${reply}|1`);
    expect(r.lines).toContain(`wefw=${msgn}`);
    expect(r.lines).toContain('subj=Re: Hoe');
  });

  it('asks for a recipient in Mail with 570, then delivers mail to a user', async () => {
    const sender = await f.as('Fin');
    const rcpt = await f.as('Gwen');
    await sender.cmd('GOTO _MAIL_|');
    expect((await sender.cmd('ENT0 0||0|0|||||||||')).raw).toBe('570 At least one recipient is required.');
    expect((await sender.cmd('ENT0 0|nobody-such|0|0|||||||||')).code).toBe(570);
    expect((await sender.cmd('ENT0 0|Gwen|0|0|||||||||')).raw).toBe('200 Gwen|0');
    expect((await sender.cmd('ENT0 1|Gwen|0|1|Letter|||||||||')).code).toBe(400);
    sender.sendListing(['Dear Gwen,', 'hello.']);
    expect((await sender.cmd('MSGS NEW||0')).code).toBe(100);
    const goto = (await rcpt.cmd('GOTO _MAIL_|')).text.split('|');
    expect(goto[1]).toBe('1');
    expect(goto[9]).toBe('1');
    const n = (await rcpt.cmd('MSGS NEW||0')).lines[0];
    const m = await rcpt.cmd(`MSG4 ${n}|0`);
    expect(m.lines).toContain('rcpt=gwen@keep.test');
    expect(m.lines.at(-1)).toBe('hello.');
    // reported once: the next GOTO does not nag about the same mail
    expect((await rcpt.cmd('GOTO _MAIL_|')).text.split('|')[9]).toBe('0');
    // the sender's copy is in Sent Items, not in the sender's Mail
    expect((await sender.cmd('GOTO Sent Items|')).text.split('|')[2]).toBe('1');
  });

  it('delivers a reply addressed as the stock client writes it (user @ node) at once', async () => {
    const sender = await f.as('Fin');
    const rcpt = await f.as('Gwen');
    const before = Number((await rcpt.cmd('GOTO _MAIL_|')).text.split('|')[2]);
    await sender.cmd('GOTO _MAIL_|');
    expect((await sender.cmd('ENT0 0|Gwen @ keep|0|1|||||||||')).raw).toBe('200 Gwen @ keep|0');
    expect((await sender.cmd('ENT0 1|Gwen @ keep|0|1|Re: Letter|||||||||')).code).toBe(400);
    sender.sendListing(['got it']);
    expect((await sender.cmd('NOOP')).code).toBe(200); // the text is stored before the next reply
    expect(Number((await rcpt.cmd('GOTO _MAIL_|')).text.split('|')[2])).toBe(before + 1);
    const n = (await rcpt.cmd('MSGS LAST|1|0')).lines[0];
    expect((await rcpt.cmd(`MSG4 ${n}|1`)).lines).toContain('rcpt=gwen@keep.test');
  });

  it.each(['nobody @ keep', 'Gwen @ elsewhere', 'not an address'])('refuses mail to %j at once with 570, queueing nothing', async (to) => {
    const c = await f.as('Fin');
    await c.cmd('GOTO _MAIL_|');
    expect((await c.cmd(`ENT0 0|${to}|0|1|||||||||`)).code).toBe(570);
    expect((await c.cmd(`ENT0 1|${to}|0|1|x|||||||||`)).code).toBe(570);
  });

  it('accepts mail to an Internet address from a network user and keeps the sender a copy', async () => {
    const c = await f.as('Fin');
    // a self-registered account is local (3); Internet mail needs a network user (4)
    expect((await c.cmd('ENT0 0|someone@example.org|0|1|||||||||')).code).toBe(550);
    expect((await admin.cmd('VALI Fin|4')).raw).toBe('200 Fin is now level 4.');
    await c.cmd('GOTO _MAIL_|');
    expect((await c.cmd('ENT0 0|someone@example.org|0|1|||||||||')).raw).toBe('200 someone@example.org|0');
    expect((await c.cmd('ENT0 1|someone@example.org|0|1|Out|||||||||')).code).toBe(400);
    c.sendListing(['to the world']);
    await c.cmd('GOTO Sent Items|');
    const n = (await c.cmd('MSGS LAST|1|0')).lines[0];
    expect((await c.cmd(`MSG4 ${n}|1`)).lines).toContain('rcpt=someone@example.org');
  });

  it('refuses posting without access and stores nothing for a refused text', async () => {
    const c = await f.as('Hank');
    await c.cmd('GOTO _MAIL_|');
    expect((await c.cmd('ENT0 1|Gwen|0|7|x|||||||||')).code).toBe(512);
    expect((await admin.cmd('CRE8 1|Notice Board|0||0')).code).toBe(200);
    await admin.cmd('GOTO Notice Board|');
    expect((await admin.cmd('SETR Notice Board||0|8194|0|0|0|0|0')).code).toBe(200);
    await c.cmd('GOTO Notice Board|');
    expect((await c.cmd('ENT0 0||0|0|||||||||')).code).toBe(550);
    expect((await c.cmd('ENT0 1||0|0|||||||||')).code).toBe(550);
  });
});

describe('native DELE and MOVE', () => {
  it('lets aides delete, move and copy messages and refuses others', async () => {
    const c = await f.as('Ivo');
    await c.cmd('GOTO Garden|');
    const n = await post(c, 'mine', ['a post']);
    const other = await f.as('Jo');
    await other.cmd('GOTO Garden|');
    expect((await other.cmd(`DELE ${n}`)).code).toBe(550);
    await admin.cmd('GOTO Garden|');
    expect((await admin.cmd(`MOVE ${n}|Shed|1`)).raw).toBe(`200 Message ${n} copied.`);
    expect((await admin.cmd(`MOVE ${n}|Nowhere|1`)).code).toBe(572);
    await admin.cmd('GOTO Shed|');
    expect((await admin.cmd('MSGS ALL||0')).lines).toContain(String(n));
    expect((await admin.cmd(`MOVE ${n}|Garden|0`)).code).toBe(200);
    expect((await admin.cmd('MSGS ALL||0')).lines).not.toContain(String(n));
    await admin.cmd('GOTO Garden|');
    expect((await admin.cmd(`DELE ${n}`)).raw).toBe(`200 Message ${n} deleted.`);
    expect((await admin.cmd(`DELE ${n}`)).code).toBe(575);
  });
});
