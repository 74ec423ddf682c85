// An IMAP STORE of several flags is one durable write (one commit to wait for): one modseq for
// all of its changes and one 'flags' event naming every message it touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf } from '../../../src/core/index.ts';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

let f: Fixture;
beforeAll(async () => { f = await coreFixture(); });
afterAll(async () => { await f?.close(); });

describe('visits.setFlags', () => {
  it('applies every change under one modseq and tells one event', async () => {
    const { user, actor } = await f.user('Flo');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox');
    const events: { msgnums: number[]; modseq: number }[] = [];
    f.core.events.on('flags', (e: { msgnums: number[]; modseq: number }) => events.push(e));
    const before = await f.core.visits.setFlag(actor, inbox.roomnum, [1], 'seen', true);
    const modseq = await f.core.visits.setFlags(actor, inbox.roomnum, [
      { flag: 'flagged', isOn: true, msgnums: [1, 2] },
      { flag: 'seen', isOn: false, msgnums: [1] },
      { flag: { keyword: '$Work' }, isOn: true, msgnums: [3] },
    ]);
    expect(modseq).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ msgnums: [1, 2, 3], modseq });
    const v = f.core.visits.get(user.usernum, inbox.roomnum);
    expect(flagsOf(v, 1)).toEqual({ system: ['flagged'], keywords: [] });
    expect(flagsOf(v, 3)).toEqual({ system: [], keywords: ['$Work'] });
    expect(await f.core.visits.setFlags(actor, inbox.roomnum, [{ flag: 'seen', isOn: true, msgnums: [] }])).toBe(0);
  });
});
