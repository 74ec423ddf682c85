// The selected-mailbox view: sequence/UID resolution with gaps and '*', and the untagged
// updates built from core events (EXISTS, EXPUNGE in descending order, FETCH FLAGS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';
import { SelectedMailbox } from '../../../../src/protocols/imap/mailbox.ts';
import { ModseqIndex } from '../../../../src/protocols/imap/modseq.ts';
import { parseSeqSet } from '../../../../src/protocols/imap/parser.ts';
import type { Actor, Room } from '../../../../src/core/index.ts';

let f: Fixture;
let actor: Actor & { kind: 'user' };
let inbox: Room;
const nums: number[] = [];
beforeAll(async () => {
  f = await coreFixture();
  const alice = await f.user('alice');
  actor = alice.actor as Actor & { kind: 'user' };
  inbox = f.core.rooms.mailbox(alice.user.usernum, 'inbox');
  for (let i = 0; i < 5; i++) {
    const m = await f.internals.messages.deliver(f.system, { kind: 'external', raw: Buffer.from(`Subject: m${i}\r\n\r\nbody ${i}\r\n`), roomnums: [inbox.roomnum] });
    nums.push(m.msgnum);
  }
});
afterAll(async () => { await f?.close(); });

describe('IMAP SelectedMailbox', () => {
  it('resolves sequence sets and UID sets, with * and reversed ranges', () => {
    const box = new SelectedMailbox(f.core, actor, inbox, 'INBOX', false, () => undefined, new ModseqIndex(f.core));
    expect(box.resolve(parseSeqSet('1'), false)).toEqual([nums[0]]);
    expect(box.resolve(parseSeqSet('4:*'), false)).toEqual(nums.slice(3));
    expect(box.resolve(parseSeqSet('*:4'), false)).toEqual(nums.slice(3));
    expect(box.resolve(parseSeqSet('2,1,2'), false)).toEqual(nums.slice(0, 2));
    expect(box.resolve(parseSeqSet(`${nums[1]}:${nums[3]}`), true)).toEqual(nums.slice(1, 4));
    expect(box.resolve(parseSeqSet('*'), true)).toEqual([nums[4]]);
    expect(box.resolve(parseSeqSet(`${nums[4]! + 100}:*`), true)).toEqual([nums[4]]); // RFC 3501 §6.4.8: n:* always names the last
    expect(box.isOutOfRange(parseSeqSet('6'))).toBe(true);
    expect(box.isOutOfRange(parseSeqSet('1:5'))).toBe(false);
    expect(box.seqOf(nums[2]!)).toBe(3);
    expect(box.seqOf(999_999)).toBe(0);
    box.close();
  });

  it('turns core events into EXISTS, FETCH FLAGS and EXPUNGE lines, holding EXPUNGE when told', async () => {
    let changes = 0;
    const box = new SelectedMailbox(f.core, actor, inbox, 'INBOX', false, () => { changes += 1; }, new ModseqIndex(f.core));
    const added = await f.internals.messages.deliver(f.system, { kind: 'external', raw: Buffer.from('Subject: new\r\n\r\nnew\r\n'), roomnums: [inbox.roomnum] });
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[1]!], 'flagged', true);
    await f.core.messages.removeFromRoom(actor, inbox.roomnum, [nums[0]!, nums[3]!]);
    expect(changes).toBe(4); // one per event: placed, flags, two removed
    expect(box.updates(false)).toEqual(['* 6 EXISTS\r\n', `* 2 FETCH (UID ${nums[1]} FLAGS (\\Flagged))\r\n`]);
    expect(box.updates(true)).toEqual(['* 4 EXPUNGE\r\n', '* 1 EXPUNGE\r\n']);
    expect(box.uids).toEqual([nums[1], nums[2], nums[4], added.msgnum]);
    expect(box.updates(true)).toEqual([]);
    box.close();
  });

  it('shows a copied older message at the end of a live view, under a new UID', async () => {
    const trash = f.core.rooms.mailbox(actor.usernum, 'trash');
    const newer = await f.internals.messages.deliver(f.system, { kind: 'external', raw: Buffer.from('Subject: newer\r\n\r\nx\r\n'), roomnums: [trash.roomnum] });
    const box = new SelectedMailbox(f.core, actor, trash, 'Trash', false, () => undefined, new ModseqIndex(f.core));
    const [copied] = await f.core.messages.copy(actor, inbox.roomnum, trash.roomnum, [nums[2]!]);
    expect(copied!.newMsgnum).toBeGreaterThan(newer.msgnum);
    expect(box.updates(true)).toEqual(['* 2 EXISTS\r\n']);
    expect(box.uids).toEqual([newer.msgnum, copied!.newMsgnum]);
    const reselected = new SelectedMailbox(f.core, actor, trash, 'Trash', false, () => undefined, new ModseqIndex(f.core));
    expect(reselected.uids).toEqual([newer.msgnum, copied!.newMsgnum]);
    box.close();
    reselected.close();
  });

  it('still reports another session\'s flag change after this session reports its own', async () => {
    const box = new SelectedMailbox(f.core, actor, inbox, 'INBOX', false, () => undefined, new ModseqIndex(f.core));
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[4]!], 'answered', true); // elsewhere
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[2]!], 'draft', true); // this session's STORE
    box.absorbOwnFlags([nums[2]!]);
    expect(box.flags(nums[2]!).system).toContain('draft');
    expect(box.updates(false)).toEqual([`* ${box.seqOf(nums[4]!)} FETCH (UID ${nums[4]} FLAGS (\\Answered))\r\n`]);
    box.close();
  });
});
