// The soft-delete window (issue 9): aides restore deleted messages and rooms within it; the
// purge removes them after it; both audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';
import { CoreError } from '../../../src/core/index.ts';

let f: Fixture;
beforeEach(async () => { f = await coreFixture(); });
afterEach(async () => { await f.close(); });

describe('soft delete', () => {
  it('restores a deleted message into the room it was deleted from', async () => {
    const a = await f.user('Ann');
    const lobby = f.core.rooms.findByName(a.actor, 'Lobby')!;
    const m = await f.core.messages.post(a.actor, { roomnum: lobby.roomnum, text: 'oops' });
    expect(await f.core.messages.removeFromRoom(a.actor, lobby.roomnum, [m.msgnum])).toBe(1);
    expect(f.core.messages.list(a.actor, lobby.roomnum)).toEqual([]);
    await expect(f.core.housekeeping.restoreMessage(a.actor, m.msgnum)).rejects.toThrow(CoreError);
    expect(await f.core.housekeeping.restoreMessage(f.system, m.msgnum)).toEqual([lobby.roomnum]);
    expect(f.core.messages.list(a.actor, lobby.roomnum)).toEqual([m.msgnum]);
    expect(f.core.messages.text(a.actor, m.msgnum)).toBe('oops');
    expect(f.core.check.run().problems).toEqual([]);
    expect(f.core.audit.list(f.system).map((e) => e.action)).toEqual(expect.arrayContaining(['message.delete', 'message.restore']));
  });

  it('purges deleted messages and rooms only after the window', async () => {
    const a = await f.user('Ann');
    const room = await f.core.rooms.create(f.system, { name: 'Attic', kind: 'public' });
    const m = await f.core.messages.post(a.actor, { roomnum: room.roomnum, text: 'in the attic' });
    await f.core.rooms.remove(f.system, room.roomnum);
    const now = Date.now();
    expect(await f.core.housekeeping.purge(now)).toEqual({ rooms: 0, messages: 0 });
    await f.core.rooms.restore(f.system, room.roomnum);
    expect(f.core.messages.list(a.actor, room.roomnum)).toEqual([m.msgnum]);
    await f.core.rooms.remove(f.system, room.roomnum);
    const later = Date.now() + f.core.settings.softDeleteMs + 1000;
    // the room goes, and with it the last placement of its message, which is then past the window too
    expect(await f.core.housekeeping.purge(later)).toEqual({ rooms: 1, messages: 1 });
    expect(f.store.dbs.rooms.get(room.roomnum)).toBeUndefined();
    expect(f.store.dbs.messages.get(m.msgnum)).toBeUndefined();
    expect(f.core.check.run().problems).toEqual([]);
    expect(f.core.audit.list(f.system).map((e) => e.action)).toContain('room.purge');
  });
});
