// COPY, MOVE and their UID forms (RFC 3501 §6.4.7, RFC 6851, RFC 4315 COPYUID). Each copy is a
// new placement in the target room with the room's next UID (core may store it under a new
// message number); COPYUID reports the UIDs; the user's flags go along. A MOVE into the same
// mailbox renumbers: the message is expunged and appears again under a new UID.
import { flagsOf, type FlagChange } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, asString, parseSeqSet } from '../parser.ts';
import { resolveFolder } from '../folders.ts';
import { forgetFlags } from './store.ts';
import type { Flag } from './flags.ts';

async function copyFlags(s: Selected, to: number, nums: number[], newNum: Map<number, number>): Promise<void> {
  const visit = s.core.visits.get(s.actor.usernum, s.box.room.roomnum);
  const all = new Map<string, Flag>();
  for (const u of nums) {
    const f = flagsOf(visit, u);
    for (const n of f.system) all.set(n, n);
    for (const k of f.keywords) all.set(`kw:${k}`, { keyword: k });
  }
  if (all.size === 0) return;
  const target = s.core.visits.get(s.actor.usernum, to);
  // every flag in one write: the COPY waits for one commit, not one per flag
  const changes: FlagChange[] = [];
  for (const f of all.values()) {
    const has = (v: typeof visit, u: number) => (typeof f === 'string' ? flagsOf(v, u).system.includes(f) : flagsOf(v, u).keywords.includes(f.keyword));
    const msgnums = nums.filter((u) => has(visit, u)).map((u) => newNum.get(u) ?? u).filter((u) => !has(target, u));
    if (msgnums.length) changes.push({ flag: f, isOn: true, msgnums });
  }
  await s.core.visits.setFlags(s.actor, to, changes);
}

/** Source and target UID sets of COPYUID, with runs that ascend together written as ranges. */
function pairedSets(pairs: { from: number; to: number }[]): string {
  const froms: string[] = [];
  const tos: string[] = [];
  for (let i = 0; i < pairs.length;) {
    let j = i;
    while (j + 1 < pairs.length && pairs[j + 1]!.from === pairs[j]!.from + 1 && pairs[j + 1]!.to === pairs[j]!.to + 1) j += 1;
    const a = pairs[i]!;
    const b = pairs[j]!;
    froms.push(i === j ? `${a.from}` : `${a.from}:${b.from}`);
    tos.push(i === j ? `${a.to}` : `${a.to}:${b.to}`);
    i = j + 1;
  }
  return `${froms.join(',')} ${tos.join(',')}`;
}

function copyCommand(isUid: boolean, isMove: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      const box = s.box;
      const set = parseSeqSet(asAtom(cmd.args[0], 'a sequence set'));
      const dest = s.nameFromWire(asString(cmd.args[1], 'a mailbox name'));
      if (!isUid && box.isOutOfRange(set)) throw new ImapError('BAD', 'Message sequence number out of range');
      if (isMove && box.isReadOnly) throw new ImapError('NO', 'The mailbox is read-only', 'READ-ONLY');
      let folder;
      try {
        folder = resolveFolder(s.core, s.actor, dest);
      } catch (err) {
        throw new ImapError('NO', (err as Error).message, 'TRYCREATE');
      }
      const named = box.resolve(set, isUid);
      const nums = named.filter((n) => !box.isExpunged(n));
      // RFC 2180 §4.4.1: a copy that names expunged messages copies nothing
      if (nums.length < named.length) throw new ImapError('NO', 'Some of the messages were expunged meanwhile', 'EXPUNGEISSUED');
      if (nums.length === 0) return ok('Nothing to copy');
      const copied = await s.core.messages.copy(s.actor, box.room.roomnum, folder.room.roomnum, nums, { isMove });
      const newNum = new Map(copied.map((c) => [c.msgnum, c.newMsgnum]));
      const uidIn = new Map(copied.map((c) => [c.msgnum, c.uid]));
      const sourceUids = nums.map((n) => box.uidOf(n));
      await copyFlags(s, folder.room.roomnum, nums, newNum);
      if (isMove) await forgetFlags(s, box.room.roomnum, nums);
      // COPYUID pairs the source and target UIDs in the order of the source set (RFC 4315 §3)
      const order = nums.map((n, i) => ({ from: sourceUids[i]!, to: uidIn.get(n)! })).sort((a, b) => a.from - b.from);
      const code = `COPYUID ${folder.room.generation} ${pairedSets(order)}`;
      if (isMove) {
        s.send(`* OK [${code}] Moved\r\n`);
        return ok(`${isUid ? 'UID ' : ''}MOVE completed`);
      }
      return ok(`${isUid ? 'UID ' : ''}COPY completed`, code);
    },
  });
}

export const copyCommands: CommandTable = {
  COPY: copyCommand(false, false),
  'UID COPY': copyCommand(true, false),
  MOVE: copyCommand(false, true),
  'UID MOVE': copyCommand(true, true),
};
