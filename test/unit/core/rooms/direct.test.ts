// core.direct: the one direct room two users share.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

describe('core.direct.open', () => {
  it('creates one room for a pair, found from either side and by name', async () => {
    const { actor: bob } = await f.user('bob');
    const { actor: alice } = await f.user('alice');
    const r1 = await f.core.direct.open(bob, 'alice');
    expect(r1).toMatchObject({ name: 'alice+bob', kind: 'direct' });
    const r2 = await f.core.direct.open(alice, 'BOB');
    expect(r2.roomnum).toBe(r1.roomnum);
    expect(f.core.direct.find(alice, 'bob')?.roomnum).toBe(r1.roomnum);
    expect(f.core.rooms.findByName(alice, 'alice+bob')?.roomnum).toBe(r1.roomnum);
    expect(f.core.rooms.findByName(bob, 'alice+bob')?.roomnum).toBe(r1.roomnum);
    expect((await f.core.rooms.enter(alice, 'alice+bob')).room.roomnum).toBe(r1.roomnum);
  });

  it('creates the room once when both open it at the same time', async () => {
    const { actor: a } = await f.user('ann');
    const { actor: b } = await f.user('ben');
    const [x, y] = await Promise.all([f.core.direct.open(a, 'ben'), f.core.direct.open(b, 'ann')]);
    expect(x.roomnum).toBe(y.roomnum);
  });

  it('lets only the two owners read and post', async () => {
    const { actor: alice } = await f.user('alice');
    await f.user('bob');
    const { actor: carol } = await f.user('carol');
    const room = await f.core.direct.open(alice, 'bob');
    await f.core.chat.say(alice, room.roomnum, 'private');
    expect(() => f.core.chat.recent(carol, room.roomnum)).toThrow(/not found/);
    await expect(f.core.chat.say(carol, room.roomnum, 'me too')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(f.core.rooms.enter(carol, 'alice+bob')).rejects.toMatchObject({ kind: 'not-found' });
    expect(f.core.rooms.list(carol).some((l) => l.room.roomnum === room.roomnum)).toBe(false);
    expect(f.core.rooms.list(alice).some((l) => l.room.roomnum === room.roomnum)).toBe(true);
  });

  it('refuses yourself and unknown users', async () => {
    const { actor: alice } = await f.user('alice');
    await expect(f.core.direct.open(alice, 'alice')).rejects.toMatchObject({ kind: 'invalid' });
    await expect(f.core.direct.open(alice, 'nobody')).rejects.toMatchObject({ kind: 'not-found' });
  });
});
