// Search in a room (native MSGS SEARCH): subject, author or text, any case, only what the room
// holds, only for readers, across the slices the scan yields between.
import { describe, expect, it } from 'vitest';
import { coreFixture } from '../../helpers/core-fixture.ts';

describe('messages.search', () => {
  it('finds subject, author and text matches in one room, the same across slice boundaries', async () => {
    const f = await coreFixture();
    try {
      const { actor: ann } = await f.user('Ann');
      const room = await f.core.rooms.create(f.system, { name: 'Notes', kind: 'public' });
      const other = await f.core.rooms.create(f.system, { name: 'Other', kind: 'public' });
      const post = async (roomnum: number, subject: string, text: string) => (await f.core.messages.post(ann, { roomnum, subject, text })).msgnum;
      const tomato = await post(room.roomnum, 'Tomatoes', 'red ones');
      const plain = await post(room.roomnum, 'weather', 'rain later');
      const red = await post(room.roomnum, 'roses', 'RED and white');
      await post(other.roomnum, 'red car', 'not in Notes');
      const removed = await post(room.roomnum, 'red herring', 'gone');
      await f.core.messages.removeFromRoom(f.system, room.roomnum, [removed]);
      for (const slice of [1, 2, 1000]) {
        expect(await f.core.messages.search(ann, room.roomnum, 'red', slice)).toEqual([tomato, red]);
        expect(await f.core.messages.search(ann, room.roomnum, 'ann', slice)).toEqual([tomato, plain, red]);
        expect(await f.core.messages.search(ann, room.roomnum, 'TOMATO', slice)).toEqual([tomato]);
      }
    } finally {
      await f.close();
    }
  });

  it('refuses a room the user may not read as not found', async () => {
    const f = await coreFixture();
    try {
      const { actor } = await f.user('Ben');
      const secret = await f.core.rooms.create(f.system, { name: 'Secret', kind: 'private-invite' });
      await expect(f.core.messages.search(actor, secret.roomnum, 'x')).rejects.toMatchObject({ kind: 'not-found' });
    } finally {
      await f.close();
    }
  });
});
