// A user's own flags travel with the message in the same write as the copy or removal: COPY
// carries them to the copy, MOVE and EXPUNGE clear them on the original (so a message placed
// there again does not come back \Deleted). One write is one commit the command waits for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf, type Actor } from '../../../../src/core/index.ts';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
let writes = 0;
beforeAll(async () => {
  f = await coreFixture();
  const write = f.store.write.bind(f.store);
  f.store.write = (fn) => { writes++; return write(fn); };
});
afterAll(async () => { await f?.close(); });

const raw = (n: number) => Buffer.from(`From: flo@keep.test\r\nSubject: note ${n}\r\nMessage-ID: <note-${n}-${Math.random()}@keep.test>\r\n\r\nbody ${n}\r\n`);

async function appendFlagged(actor: Actor, roomnum: number): Promise<number[]> {
  const stored = await f.core.messages.append(actor, {
    roomnum,
    messages: [
      { raw: raw(1), flags: ['seen', 'flagged', { keyword: '$Work' }] },
      { raw: raw(2), flags: ['deleted', 'answered'] },
    ],
  });
  return stored.map((m) => m.msgnum);
}

const counted = async <T>(fn: () => Promise<T>): Promise<{ result: T; writes: number }> => {
  const before = writes;
  const result = await fn();
  return { result, writes: writes - before };
};

describe("a user's own flags", () => {
  it('go with a copy, in the copy\'s one write, and stay on the original', async () => {
    const { user, actor } = await f.user('Flo');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox').roomnum;
    const drafts = f.core.rooms.mailbox(user.usernum, 'drafts').roomnum;
    const [a, b] = await appendFlagged(actor, inbox);
    const { result: copied, writes: n } = await counted(() => f.core.messages.copy(actor, inbox, drafts, [a!, b!]));
    expect(n).toBe(1);
    const target = f.core.visits.get(user.usernum, drafts);
    expect(flagsOf(target, copied[0]!.newMsgnum)).toEqual({ system: ['seen', 'flagged'], keywords: ['$Work'] });
    expect(flagsOf(target, copied[1]!.newMsgnum)).toEqual({ system: ['answered', 'deleted'], keywords: [] });
    expect(flagsOf(f.core.visits.get(user.usernum, inbox), a!).system).toEqual(['seen', 'flagged']);
  });

  it('go with a move and leave the original, in one write', async () => {
    const { user, actor } = await f.user('Mo');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox').roomnum;
    const trash = f.core.rooms.mailbox(user.usernum, 'trash').roomnum;
    const [a, b] = await appendFlagged(actor, inbox);
    const events: { roomnum: number; msgnums: number[] }[] = [];
    const listen = (e: { roomnum: number; msgnums: number[] }) => events.push(e);
    f.core.events.on('flags', listen);
    const { result: moved, writes: n } = await counted(() => f.core.messages.copy(actor, inbox, trash, [a!, b!], { isMove: true }));
    f.core.events.off('flags', listen);
    expect(n).toBe(1);
    expect(events).toEqual([expect.objectContaining({ roomnum: trash, msgnums: moved.map((m) => m.newMsgnum) })]);
    expect(flagsOf(f.core.visits.get(user.usernum, trash), moved[0]!.newMsgnum)).toEqual({ system: ['seen', 'flagged'], keywords: ['$Work'] });
    const source = f.core.visits.get(user.usernum, inbox);
    expect(flagsOf(source, a!)).toEqual({ system: [], keywords: [] });
    expect(flagsOf(source, b!)).toEqual({ system: [], keywords: [] });
  });

  it('leave with an expunge, in the removal\'s one write, and only that user\'s', async () => {
    const { user, actor } = await f.user('Ex');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox').roomnum;
    const [a, b] = await appendFlagged(actor, inbox);
    const { result: removed, writes: n } = await counted(() => f.core.messages.removeFromRoom(actor, inbox, [a!, b!]));
    expect(removed).toBe(2);
    expect(n).toBe(1);
    const v = f.core.visits.get(user.usernum, inbox);
    expect(flagsOf(v, a!)).toEqual({ system: [], keywords: [] });
    expect(flagsOf(v, b!)).toEqual({ system: [], keywords: [] });
    expect(v.keywords).toEqual({});
    expect(v.seen).toEqual([]);
  });
});

describe('the sets in a visit record after messages leave a room', () => {
  const post = async (actor: Actor, roomnum: number, n: number) =>
    (await f.core.messages.append(actor, { roomnum, messages: Array.from({ length: n }, (_, i) => ({ raw: raw(100 + i) })) })).map((m) => m.msgnum);

  it('keep one seen range when a message inside it goes, and shrink it when one at its end goes', async () => {
    const { user, actor } = await f.user('Reader');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox').roomnum;
    const nums = await post(actor, inbox, 5);
    await f.core.visits.setFlags(actor, inbox, [{ flag: 'seen', isOn: true, msgnums: nums }]);
    await f.core.messages.removeFromRoom(actor, inbox, [nums[2]!]);
    expect(f.core.visits.get(user.usernum, inbox).seen).toEqual([[nums[0], nums[4]]]);
    await f.core.messages.removeFromRoom(actor, inbox, [nums[0]!, nums[4]!]);
    expect(f.core.visits.get(user.usernum, inbox).seen).toEqual([[nums[1], nums[3]]]);
  });

  it('drop the ranges of messages that are all gone, so the record does not grow with every message it ever held', async () => {
    const { user, actor } = await f.user('Churn');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox').roomnum;
    for (let round = 0; round < 5; round++) {
      const nums = await post(actor, inbox, 6);
      // every other message seen and flagged: one range per message
      const odd = nums.filter((_, i) => i % 2 === 1);
      await f.core.visits.setFlags(actor, inbox, [
        { flag: 'seen', isOn: true, msgnums: odd },
        { flag: 'flagged', isOn: true, msgnums: odd },
        { flag: { keyword: '$Later' }, isOn: true, msgnums: odd },
      ]);
      await f.core.messages.removeFromRoom(actor, inbox, nums.slice(0, 5));
    }
    const left = f.core.messages.list(actor, inbox);
    expect(left).toHaveLength(5);
    const v = f.core.visits.get(user.usernum, inbox);
    for (const set of [v.seen, v.flagged, v.keywords.$Later ?? []]) {
      expect(set).toEqual(left.map((n) => [n, n]));
    }
  });
});

describe('a flag change that asks for nothing', () => {
  it('makes no write to wait for', async () => {
    const { user, actor } = await f.user('Nil');
    const inbox = f.core.rooms.mailbox(user.usernum, 'inbox').roomnum;
    const { result: modseq, writes: n } = await counted(() => f.core.visits.setFlags(actor, inbox, [{ flag: 'flagged', isOn: true, msgnums: [] }]));
    expect({ modseq, writes: n }).toEqual({ modseq: 0, writes: 0 });
  });
});
