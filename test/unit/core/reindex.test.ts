// A text post an older Keep stored has no header index; core.upgrade reads it from the stored
// bytes once, so every protocol finds its fields again (issue 18).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

let f: Fixture;
beforeAll(async () => { f = await coreFixture(); });
afterAll(async () => { await f?.close(); });

describe('upgrading messages an older Keep stored', () => {
  it('indexes the header of a text post stored without one, once', async () => {
    const { actor } = await f.user('Zoë');
    const lobby = f.core.rooms.findByName(actor, 'Lobby')!;
    const m = await f.core.messages.post(actor, { roomnum: lobby.roomnum, text: 'old post', subject: 'Café' });
    const indexed = f.store.dbs.messages.get(m.msgnum)!.headers;
    expect(indexed.map(([n]) => n)).toEqual(expect.arrayContaining(['from', 'subject', 'date', 'message-id']));
    // what an older Keep left: no header index, and no mark that the upgrade ran
    await f.store.write(() => {
      f.store.dbs.messages.putSync(m.msgnum, { ...f.store.dbs.messages.get(m.msgnum)!, headers: [] });
      f.store.dbs.meta.removeSync('headerIndexComplete');
    });
    await f.core.upgrade();
    expect(f.store.dbs.messages.get(m.msgnum)!.headers).toEqual(indexed);
    // done once: a later start does not scan again
    await f.store.write(() => f.store.dbs.messages.putSync(m.msgnum, { ...f.store.dbs.messages.get(m.msgnum)!, headers: [] }));
    await f.core.upgrade();
    expect(f.store.dbs.messages.get(m.msgnum)!.headers).toEqual([]);
  });
});
