// The selected-mailbox view: sequence/UID resolution with gaps and '*', and the untagged
// updates built from core events (EXISTS, EXPUNGE in descending order, FETCH FLAGS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';
import { SelectedMailbox } from '../../../../src/protocols/imap/mailbox.ts';
import { ModseqIndex } from '../../../../src/protocols/imap/modseq.ts';
import { RecentIndex } from '../../../../src/protocols/imap/recent.ts';
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

const open = (room: Room, name: string, recent = new RecentIndex()) => new SelectedMailbox(f.core, actor, room, name, false, () => undefined, new ModseqIndex(f.core), recent);

describe('IMAP SelectedMailbox', () => {
  it('numbers a new folder\'s messages from UID 1 and resolves sequence and UID sets, with * and reversed ranges', () => {
    const box = open(inbox, 'INBOX');
    expect(box.uids).toEqual([1, 2, 3, 4, 5]);
    expect(box.nums).toEqual(nums);
    expect(box.uidNext).toBe(6);
    expect(box.resolve(parseSeqSet('1'), false)).toEqual([nums[0]]);
    expect(box.resolve(parseSeqSet('4:*'), false)).toEqual(nums.slice(3));
    expect(box.resolve(parseSeqSet('*:4'), false)).toEqual(nums.slice(3));
    expect(box.resolve(parseSeqSet('2,1,2'), false)).toEqual(nums.slice(0, 2));
    expect(box.resolve(parseSeqSet('2:4'), true)).toEqual(nums.slice(1, 4));
    expect(box.resolve(parseSeqSet('*'), true)).toEqual([nums[4]]);
    expect(box.resolve(parseSeqSet('105:*'), true)).toEqual([nums[4]]); // RFC 3501 §6.4.8: n:* always names the last
    expect(box.isOutOfRange(parseSeqSet('6'))).toBe(true);
    expect(box.isOutOfRange(parseSeqSet('1:5'))).toBe(false);
    expect(box.seqOf(nums[2]!)).toBe(3);
    expect(box.uidOf(nums[2]!)).toBe(3);
    expect(box.seqOf(999_999)).toBe(0);
    box.close();
  });

  it('turns core events into EXISTS, RECENT, FETCH FLAGS and EXPUNGE lines, holding EXPUNGE when told', async () => {
    let changes = 0;
    const box = new SelectedMailbox(f.core, actor, inbox, 'INBOX', false, () => { changes += 1; }, new ModseqIndex(f.core), new RecentIndex());
    expect(box.recentCount).toBe(5);
    const added = await f.internals.messages.deliver(f.system, { kind: 'external', raw: Buffer.from('Subject: new\r\n\r\nnew\r\n'), roomnums: [inbox.roomnum] });
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[1]!], 'flagged', true);
    await f.core.messages.removeFromRoom(actor, inbox.roomnum, [nums[0]!, nums[3]!]);
    expect(changes).toBe(4); // one per event: placed, flags, two removed
    expect(box.updates(false)).toEqual(['* 6 EXISTS\r\n', '* 6 RECENT\r\n', '* 2 FETCH (UID 2 FLAGS (\\Recent \\Flagged))\r\n']);
    expect(box.updates(true)).toEqual(['* 4 EXPUNGE\r\n', '* 1 EXPUNGE\r\n']);
    expect(box.nums).toEqual([nums[1], nums[2], nums[4], added.msgnum]);
    expect(box.uids).toEqual([2, 3, 5, 6]);
    expect(box.updates(true)).toEqual([]);
    box.close();
  });

  it('gives \\Recent to the first read-write view only', () => {
    const recent = new RecentIndex();
    const first = open(inbox, 'INBOX', recent);
    const second = open(inbox, 'INBOX', recent);
    expect(first.recentCount).toBe(first.exists);
    expect(second.recentCount).toBe(0);
    first.close();
    second.close();
  });

  it('shows a copied older message at the end of a live view, under the folder\'s next UID', async () => {
    const trash = f.core.rooms.mailbox(actor.usernum, 'trash');
    const newer = await f.internals.messages.deliver(f.system, { kind: 'external', raw: Buffer.from('Subject: newer\r\n\r\nx\r\n'), roomnums: [trash.roomnum] });
    const box = open(trash, 'Trash');
    const [copied] = await f.core.messages.copy(actor, inbox.roomnum, trash.roomnum, [nums[2]!]);
    expect(copied!.newMsgnum).toBeGreaterThan(newer.msgnum);
    expect(copied!.uid).toBe(2);
    expect(box.updates(true)).toEqual(['* 2 EXISTS\r\n', '* 2 RECENT\r\n']);
    expect(box.nums).toEqual([newer.msgnum, copied!.newMsgnum]);
    const reselected = open(trash, 'Trash');
    expect(reselected.uids).toEqual([1, 2]);
    box.close();
    reselected.close();
  });

  it('announces a keyword in FLAGS before a flag update shows it', async () => {
    const box = open(inbox, 'INBOX');
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[2]!], { keyword: '$Work' }, true);
    const lines = box.updates(false);
    expect(lines[0]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)\r\n');
    expect(lines[1]).toBe('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted\r\n');
    expect(lines[2]).toMatch(/FLAGS \(.*\$Work\)\)\r\n$/);
    box.close();
  });

  it('still reports another session\'s flag change after this session reports its own', async () => {
    const box = open(inbox, 'INBOX');
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[4]!], 'answered', true); // elsewhere
    await f.core.visits.setFlag(actor, inbox.roomnum, [nums[2]!], 'draft', true); // this session's STORE
    box.absorbOwnFlags([nums[2]!]);
    expect(box.flags(nums[2]!).system).toContain('draft');
    expect(box.updates(false)).toEqual([`* ${box.seqOf(nums[4]!)} FETCH (UID ${box.uidOf(nums[4]!)} FLAGS (\\Recent \\Answered))\r\n`]);
    box.close();
  });
});
