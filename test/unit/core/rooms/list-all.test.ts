// rooms.listAll (IMAP LIST, NNTP LIST) is rooms.list(actor, 'all') without the message counts:
// the same rooms with the same access, for every kind of room and every state a user's visit
// can put one in (zapped, invited, a hidden room found, a passworded room entered or not).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/core/index.ts';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
let reader: Actor;
let aide: Actor;
beforeAll(async () => {
  f = await coreFixture();
  aide = (await f.user('Ada', 6)).actor;
  reader = (await f.user('Rex')).actor;
  const other = (await f.user('Oz')).actor;
  const made = async (name: string, kind: 'public' | 'hidden' | 'private-invite' | 'private-password', password?: string) =>
    f.core.rooms.create(aide, { name, kind, ...(password ? { password } : {}) });
  const zapped = await made('Zapped', 'public');
  await made('Plain', 'public');
  await made('Hidden unseen', 'hidden');
  await made('Hidden found', 'hidden');
  const invited = await made('Invited', 'private-invite');
  await made('Not invited', 'private-invite');
  await made('Locked', 'private-password', 'sesame');
  await made('Opened', 'private-password', 'open-sesame');
  const invitedZapped = await made('Invited then zapped', 'private-invite');
  await f.core.rooms.setZapped(reader, zapped.roomnum, true);
  await f.core.rooms.enter(reader, 'Hidden found');
  await f.core.rooms.setInvited(aide, invited.roomnum, (reader as { usernum: number }).usernum, true);
  await f.core.rooms.setInvited(aide, invitedZapped.roomnum, (reader as { usernum: number }).usernum, true);
  await f.core.rooms.setZapped(reader, invitedZapped.roomnum, true);
  await f.core.rooms.enter(reader, 'Opened', 'open-sesame');
  await f.core.rooms.createPersonal(reader, 'Archive');
  await f.core.rooms.createPersonal(other, 'Not mine');
});
afterAll(async () => { await f?.close(); });

const names = (list: { room: { name: string } }[]) => list.map((l) => l.room.name);

describe('rooms.listAll', () => {
  it.each([['a user', () => reader], ['an aide', () => aide], ['the system', () => f.system]])('gives %s what list(all) gives, without counts', (_, who) => {
    const actor = who();
    const all = f.core.rooms.list(actor, 'all').map(({ room, access }) => ({ room, access }));
    expect(f.core.rooms.listAll(actor)).toEqual(all);
    expect(all.length).toBeGreaterThan(0);
  });

  it('lists a zapped room, a found hidden one, the invited and a passworded one entered, and not the rest', () => {
    const listed = names(f.core.rooms.listAll(reader));
    expect(listed).toEqual(expect.arrayContaining(['Zapped', 'Plain', 'Hidden found', 'Invited', 'Invited then zapped', 'Opened', 'Archive']));
    for (const hidden of ['Hidden unseen', 'Not invited', 'Locked', 'Not mine']) expect(listed).not.toContain(hidden);
  });
});
