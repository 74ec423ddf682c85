// Native user commands: RBIO/EBIO, LIST, and user administration for aides (CREU, AGUP, ASUP,
// GNUR, VALI, GREG), refused for everyone else and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeClient } from '../../helpers/native-client.ts';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
let admin: NativeClient;
beforeAll(async () => {
  f = await nativeFixture();
  admin = await f.as('admin');
});
afterAll(async () => { await f?.stop(); });

describe('native biographies and the user list', () => {
  it('replaces a bio with EBIO and reads it with RBIO', async () => {
    const c = await f.as('Kim');
    expect((await c.cmd('RBIO Kim')).lines).toEqual(['Kim has no bio on file.']);
    expect((await c.cmd('EBIO')).raw).toBe('400 Transmit your bio');
    c.sendListing(['I grow tomatoes.', '000 is not a terminator here']);
    await c.cmd('NOOP'); // the text is applied before the next command of the same session
    const r = await admin.cmd('RBIO kim');
    expect(r.code).toBe(100);
    const [name, usernum, level] = r.text.split('|');
    expect([name, level]).toEqual(['Kim', '3']);
    expect(Number(usernum)).toBeGreaterThan(0);
    expect(r.lines).toEqual(['I grow tomatoes.', '000 is not a terminator here']);
    expect((await c.cmd('RBIO nobody-here')).code).toBe(570);
    expect((await c.cmd('RBIO')).code).toBe(512);
  });

  it('lists users with LIST and filters by a pattern', async () => {
    const c = await f.as('Lou');
    const all = await c.cmd('LIST');
    expect(all.lines.map((l) => l.split('|')[0])).toEqual(expect.arrayContaining(['admin', 'Lou']));
    for (const l of all.lines) expect(l.split('|')).toHaveLength(8);
    expect((await c.cmd('LIST lo')).lines.map((l) => l.split('|')[0])).toEqual(['Lou']);
  });
});

describe('native user administration', () => {
  it('creates a user with CREU, who can then log in', async () => {
    expect((await admin.cmd('CREU Max|max-pw')).raw).toBe("200 User 'Max' created.");
    expect((await admin.cmd('CREU Max|max-pw')).code).toBe(574);
    const c = await f.connect();
    await c.login('Max', 'max-pw');
    expect((await c.cmd('CREU Ned|x')).code).toBe(550);
  });

  it('reads and changes a user with AGUP/ASUP; the level change reaches a live session', async () => {
    const nia = await f.as('Nia');
    const got = await admin.cmd('AGUP Nia');
    const fields = got.text.split('|');
    expect(fields).toHaveLength(9);
    expect(fields[0]).toBe('Nia');
    expect(fields[1]).toBe('');
    expect(fields[5]).toBe('3');
    expect((await nia.cmd('AGUP admin')).code).toBe(550);
    fields[1] = 'new-pw';
    fields[5] = '6';
    expect((await admin.cmd(`ASUP ${fields.join('|')}`)).raw).toBe('200 Ok');
    // Nia is an aide now, in the session she already had
    expect((await nia.cmd('CFLR Deck|0')).code).toBe(200);
    const again = await f.connect();
    await again.login('Nia', 'new-pw');
    expect((await admin.cmd('AGUP nobody-here')).code).toBe(570);
  });

  it('answers GNUR when nobody awaits validation, validates with VALI, and serves GREG', async () => {
    expect((await admin.cmd('GNUR')).raw).toBe('200 No users require validation.');
    await f.as('Ola');
    expect((await admin.cmd('VALI Ola|5')).raw).toBe('200 Ola is now level 5.');
    expect((await admin.cmd('AGUP Ola')).text.split('|')[5]).toBe('5');
    expect((await admin.cmd('VALI Ola|9')).code).toBe(512);
    const reg = await admin.cmd('GREG Ola');
    expect(reg.code).toBe(100);
    expect(reg.lines).toHaveLength(11);
    expect(reg.lines[8]).toBe('5');
    expect(reg.lines[9]).toBe('ola@keep.test');
    const self = await (await f.as('Pat')).cmd('GREG _SELF_');
    expect(self.text).toBe('Pat');
    expect((await (await f.as('Pat')).cmd('GREG Ola')).code).toBe(550);
  });

  it('logs a deleted user out at the next command', async () => {
    const q = await f.as('Quin');
    const fields = (await admin.cmd('AGUP Quin')).text.split('|');
    fields[5] = '0';
    expect((await admin.cmd(`ASUP ${fields.join('|')}`)).code).toBe(200);
    expect((await q.cmd('GOTO Lobby|')).code).toBe(520);
    expect((await f.connect().then((c) => c.cmd('USER Quin'))).code).toBe(570);
  });

  it('answers QDIR with the owner of an address, or 570', async () => {
    const c = await f.as('Rae');
    expect((await c.cmd('QDIR rae@keep.test')).raw).toBe('200 Rae @ keep');
    expect((await c.cmd('QDIR nobody@keep.test')).code).toBe(570);
  });

  it('audits user administration with the native origin', async () => {
    const audit = JSON.parse((await f.keep.cli(['audit', '--json'])).stdout) as { action: string; target: string; origin: string }[];
    const actions = audit.filter((a) => a.origin.startsWith('native:')).map((a) => `${a.action} ${a.target}`);
    expect(actions).toEqual(expect.arrayContaining(['user.create Max', 'user.password Nia', 'user.level Nia', 'user.level Ola', 'user.level Quin']));
  });
});
