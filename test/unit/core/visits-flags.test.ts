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
    const stored = await f.core.messages.append(actor, {
      roomnum: inbox.roomnum,
      messages: [1, 2, 3].map((n) => ({ raw: Buffer.from(`From: flo@keep.test\r\nSubject: ${n}\r\n\r\nbody\r\n`) })),
    });
    const [one, two, three] = stored.map((m) => m.msgnum) as [number, number, number];
    const events: { msgnums: number[]; modseq: number }[] = [];
    f.core.events.on('flags', (e: { msgnums: number[]; modseq: number }) => events.push(e));
    const before = await f.core.visits.setFlag(actor, inbox.roomnum, [one], 'seen', true);
    const modseq = await f.core.visits.setFlags(actor, inbox.roomnum, [
      { flag: 'flagged', isOn: true, msgnums: [one, two] },
      { flag: 'seen', isOn: false, msgnums: [one] },
      { flag: { keyword: '$Work' }, isOn: true, msgnums: [three] },
    ]);
    expect(modseq).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ msgnums: [one, two, three], modseq });
    const v = f.core.visits.get(user.usernum, inbox.roomnum);
    expect(flagsOf(v, one)).toEqual({ system: ['flagged'], keywords: [] });
    expect(flagsOf(v, three)).toEqual({ system: [], keywords: ['$Work'] });
    expect(await f.core.visits.setFlags(actor, inbox.roomnum, [{ flag: 'seen', isOn: true, msgnums: [] }])).toBe(0);
  });

  it('sets no flag on a message that has left the room (another session expunged it meanwhile)', async () => {
    const { user, actor } = await f.user('Late');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox');
    const [m] = await f.core.messages.append(actor, { roomnum: inbox.roomnum, messages: [{ raw: Buffer.from('From: late@keep.test\r\nSubject: x\r\n\r\nbody\r\n') }] });
    await f.core.messages.removeFromRoom(actor, inbox.roomnum, [m!.msgnum]);
    expect(await f.core.visits.setFlags(actor, inbox.roomnum, [{ flag: 'flagged', isOn: true, msgnums: [m!.msgnum] }])).toBe(0);
    expect(f.core.visits.get(user.usernum, inbox.roomnum).flagged).toEqual([]);
  });
});
