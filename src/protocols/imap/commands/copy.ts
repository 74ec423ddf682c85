// COPY, MOVE and their UID forms (RFC 3501 §6.4.7, RFC 6851, RFC 4315 COPYUID). Each copy is a
// new placement in the target room with the room's next UID (core may store it under a new
// message number); COPYUID reports the UIDs; the user's flags go along (core carries them in the copy's write). A MOVE into the same
// mailbox renumbers: the message is expunged and appears again under a new UID.
import { command, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, asString, parseSeqSet } from '../parser.ts';
import { resolveFolder } from '../folders.ts';

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
      const uidIn = new Map(copied.map((c) => [c.msgnum, c.uid]));
      const sourceUids = nums.map((n) => box.uidOf(n));
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
