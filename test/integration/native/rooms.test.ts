// Native room commands: GOTO (macros, passworded and invitation rooms), GETA, RINF, the room
// lists, LFLR, SLRP, FORG, and room administration (CRE8, GETR/SETR, KILL, INVT/KICK, WHOK, floors).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeClient } from '../../helpers/native-client.ts';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
let admin: NativeClient;
beforeAll(async () => {
  f = await nativeFixture();
  admin = await f.as('admin');
  for (const line of ['CRE8 1|Kitchen|0||0', 'CRE8 1|Vault|2|open|0', 'CRE8 1|Club|3||0', 'CRE8 1|Attic|1||0']) {
    const r = await admin.cmd(line);
    if (r.code !== 200) throw new Error(`${line}: ${r.raw}`);
  }
});
afterAll(async () => { await f?.stop(); });

const gotoFields = (text: string) => text.split('|');

describe('native GOTO', () => {
  it('enters the base room and the mail room through macros with 16 fields', async () => {
    const c = await f.as('Ann');
    const lobby = await c.cmd('GOTO _BASEROOM_|');
    expect(lobby.code).toBe(200);
    expect(lobby.text.endsWith('|')).toBe(true);
    expect(gotoFields(lobby.text)).toHaveLength(17);
    expect(gotoFields(lobby.text)[0]).toBe('Lobby');
    const mail = gotoFields((await c.cmd('GOTO _MAIL_|')).text);
    expect(mail[0]).toBe('Mail');
    expect(mail[7]).toBe('1');
    expect(Number(mail[4]) & 16384).toBe(16384);
  });

  it('matches names case-insensitively and answers 572 for an unknown room', async () => {
    const c = await f.as('Ann');
    expect(gotoFields((await c.cmd('GOTO kitchen|')).text)[0]).toBe('Kitchen');
    expect((await c.cmd('GOTO Kit|')).raw).toBe("572 room 'Kit' not found");
    expect((await c.cmd('GOTO |')).code).toBe(512);
  });

  it('asks for a room password with 540 and remembers a correct one', async () => {
    const c = await f.as('Ben');
    expect((await c.cmd('GOTO Vault|')).code).toBe(540);
    expect((await c.cmd('GOTO Vault|wrong')).code).toBe(540);
    const ok = await c.cmd('GOTO Vault|open');
    expect(ok.code).toBe(200);
    expect(Number(gotoFields(ok.text)[4]) & 8).toBe(8);
    expect((await c.cmd('GOTO Vault|')).code).toBe(200);
  });

  it('hides invitation-only rooms until INVT and again after KICK', async () => {
    const c = await f.as('Cid');
    expect((await c.cmd('GOTO Club|')).code).toBe(572);
    expect((await admin.cmd('GOTO Club|')).code).toBe(200);
    expect((await admin.cmd('INVT Cid')).raw).toBe('200 Cid invited to Club.');
    expect((await c.cmd('GOTO Club|')).code).toBe(200);
    expect((await admin.cmd('WHOK')).lines).toContain('Cid');
    expect((await admin.cmd('KICK Cid')).code).toBe(200);
    expect((await c.cmd('GOTO Lobby|')).code).toBe(200);
    expect((await c.cmd('GOTO Club|')).code).toBe(572);
    expect((await c.cmd('INVT Ann')).code).toBe(550);
    expect((await admin.cmd('INVT nobody')).code).toBe(570);
  });
});

describe('native room lists, info and read pointers', () => {
  it('lists known rooms with access bits, and new rooms once a message arrives', async () => {
    const c = await f.as('Dot');
    const known = await c.cmd('LKRA -1');
    const names = known.lines.map((l) => l.split('|')[0]);
    expect(names).toEqual(expect.arrayContaining(['Lobby', 'Kitchen', 'Mail']));
    expect(names).not.toContain('Vault');
    expect(names).not.toContain('Club');
    expect(names).not.toContain('Attic');
    for (const l of known.lines) expect(l.split('|')).toHaveLength(10);
    await admin.cmd('GOTO Kitchen|');
    await admin.cmd('ENT0 1||0|1|Soup|||||||||');
    admin.sendListing(['Soup is ready.']);
    await admin.cmd('NOOP');
    const fresh = await c.cmd('LKRN -1');
    expect(fresh.lines.map((l) => l.split('|')[0])).toContain('Kitchen');
    const kitchen = known.lines.find((l) => l.startsWith('Kitchen|'))!;
    expect(Number(kitchen.split('|')[5]) & 6).toBe(6);
    const goto = gotoFields((await c.cmd('GOTO Kitchen|')).text);
    expect(goto[1]).toBe('1');
    await c.cmd(`SLRP ${goto[5]}`);
    expect((await c.cmd('LKRO -1')).lines.map((l) => l.split('|')[0])).toContain('Kitchen');
    expect((await c.cmd('LKRN -1')).lines.map((l) => l.split('|')[0])).not.toContain('Kitchen');
  });

  it('lists floors and rooms on one floor', async () => {
    const c = await f.as('Dot');
    const floors = await c.cmd('LFLR');
    expect(floors.lines[0]).toMatch(/^0\|Main Floor\|\d+$/);
    expect((await c.cmd('LKRA 0')).lines.length).toBeGreaterThan(0);
    expect((await c.cmd('LKRA 7')).lines).toEqual([]);
  });

  it('gives the aide and the info text, and clears the info flag once read', async () => {
    const c = await f.as('Eve');
    const lobby = gotoFields((await c.cmd('GOTO _BASEROOM_|')).text);
    expect(lobby[3]).toBe('1');
    expect((await c.cmd('GETA')).code).toBe(200);
    const info = await c.cmd('RINF');
    expect(info.code).toBe(100);
    expect(info.lines.join(' ')).toContain('base room');
    expect(gotoFields((await c.cmd('GOTO _BASEROOM_|')).text)[3]).toBe('0');
    await c.cmd('GOTO Kitchen|');
    expect((await c.cmd('RINF')).code).toBe(571);
    expect((await c.cmd('GETA')).raw).toBe('200 admin');
  });

  it('sets the read pointer with SLRP n and SLRP HIGHEST', async () => {
    const c = await f.as('Fox');
    const k = gotoFields((await c.cmd('GOTO Kitchen|')).text);
    expect((await c.cmd('SLRP HIGHEST')).raw).toBe(`200 ${k[5]}`);
    expect(gotoFields((await c.cmd('GOTO Kitchen|')).text)[1]).toBe('0');
    expect((await c.cmd('SLRP x')).code).toBe(512);
  });

  it('zaps a room with FORG, lists it with LZRM, and GOTO brings it back', async () => {
    const c = await f.as('Gil');
    await c.cmd('GOTO Kitchen|');
    expect((await c.cmd('FORG')).raw).toBe('200 Ok');
    expect((await c.cmd('LKRA -1')).lines.map((l) => l.split('|')[0])).not.toContain('Kitchen');
    expect((await c.cmd('LZRM -1')).lines.map((l) => l.split('|')[0])).toContain('Kitchen');
    await c.cmd('GOTO Kitchen|');
    expect((await c.cmd('LKRA -1')).lines.map((l) => l.split('|')[0])).toContain('Kitchen');
    await c.cmd('GOTO _BASEROOM_|');
    expect((await c.cmd('FORG')).code).toBe(560);
  });
});

describe('native room administration', () => {
  it('creates, edits and deletes a room, refusing non-aides', async () => {
    const c = await f.as('Hugo');
    expect((await c.cmd('CRE8 0||1||0')).code).toBe(200);
    expect((await c.cmd('CRE8 1|Porch|0||0')).raw).toBe('200 Porch');
    expect((await c.cmd('CRE8 1|Porch|0||0')).code).toBe(574);
    expect((await c.cmd('CRE8 1|Bad|0||9')).code).toBe(561);
    await c.cmd('GOTO Porch|');
    const getr = await c.cmd('GETR');
    expect(getr.text.split('|')[0]).toBe('Porch');
    expect((await c.cmd('SETR Veranda||0|2|0|0|0|0|0')).code).toBe(200);
    expect(gotoFields((await c.cmd('GOTO Veranda|')).text)[0]).toBe('Veranda');
    const other = await f.as('Ivy');
    await other.cmd('GOTO Veranda|');
    expect((await other.cmd('GETR')).code).toBe(550);
    expect((await other.cmd('KILL 1')).code).toBe(550);
    expect((await c.cmd('KILL 1')).raw).toBe("200 'Veranda' deleted.");
    expect((await c.cmd('GOTO Veranda|')).code).toBe(572);
  });

  it('replaces the room info with EINF, flagged for readers until RINF', async () => {
    await admin.cmd('GOTO Attic|');
    expect((await admin.cmd('EINF 0')).code).toBe(200);
    expect((await admin.cmd('EINF 1')).raw).toBe('400 Transmit the room info');
    admin.sendListing(['Dusty boxes.', 'Mind the stairs.']);
    await admin.cmd('NOOP');
    const c = await f.as('Jade');
    expect((await c.cmd('GOTO Attic|')).text.split('|')[3]).toBe('1');
    expect((await c.cmd('RINF')).lines).toEqual(['Dusty boxes.', 'Mind the stairs.']);
    expect((await c.cmd('GOTO Attic|')).text.split('|')[3]).toBe('0');
    expect((await c.cmd('EINF 1')).code).toBe(550);
  });

  it('creates, renames and deletes floors for aides only', async () => {
    const c = await f.as('Hugo');
    expect((await c.cmd('CFLR Upstairs|1')).code).toBe(550);
    const made = await admin.cmd('CFLR Upstairs|1');
    expect(made.code).toBe(200);
    const num = made.text.split('|')[0];
    expect((await admin.cmd(`EFLR ${num}|Second Floor`)).code).toBe(200);
    expect((await admin.cmd('LFLR')).lines).toContain(`${num}|Second Floor|0`);
    expect((await admin.cmd(`KFLR ${num}|1`)).code).toBe(200);
    expect((await admin.cmd('KFLR 0|1')).code).toBe(550);
  });

  it('records room administration in the audit log with the native origin', async () => {
    await f.as('Kim');
    expect((await admin.cmd('CRE8 1|Shed|3||0')).code).toBe(200);
    expect((await admin.cmd('GOTO Shed|')).code).toBe(200);
    expect((await admin.cmd('INVT Kim')).code).toBe(200);
    expect((await admin.cmd('KICK Kim')).code).toBe(200);
    expect((await admin.cmd('KILL 1')).code).toBe(200);
    const floor = await admin.cmd('CFLR Cellar|1');
    expect(floor.code).toBe(200);
    expect((await admin.cmd(`KFLR ${floor.text.split('|')[0]}|1`)).code).toBe(200);
    const audit = JSON.parse((await f.keep.cli(['audit', '--json'])).stdout) as { action: string; target: string; origin: string }[];
    const native = audit.filter((a) => a.origin.startsWith('native:'));
    const actions = native.map((a) => `${a.action} ${a.target}`);
    expect(actions).toEqual(expect.arrayContaining(['room.create Shed', 'room.invite Shed', 'room.kick Shed', 'room.delete Shed', 'floor.create Cellar']));
  });
});
