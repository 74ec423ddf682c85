// COPY, MOVE and their UID forms (RFC 3501 §6.4.7, RFC 6851, RFC 4315 COPYUID). Core keeps the
// message number where it is newer than the target's messages and gives the copy a new one
// otherwise, so UIDs only ascend; COPYUID reports the mapping; the user's flags go along.
import { flagsOf } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, asString, decodeMailboxName, parseSeqSet } from '../parser.ts';
import { resolveFolder } from '../folders.ts';
import { seqSetString } from '../render.ts';
import { applyFlags, forgetFlags } from './store.ts';
import type { Flag } from './flags.ts';

async function copyFlags(s: Selected, to: number, uids: number[], newUid: Map<number, number>): Promise<void> {
  const visit = s.core.visits.get(s.actor.usernum, s.box.room.roomnum);
  const all = new Map<string, Flag>();
  for (const u of uids) {
    const f = flagsOf(visit, u);
    for (const n of f.system) all.set(n, n);
    for (const k of f.keywords) all.set(`kw:${k}`, { keyword: k });
  }
  if (all.size === 0) return;
  const target = s.core.visits.get(s.actor.usernum, to);
  for (const f of all.values()) {
    const having = uids.filter((u) => (typeof f === 'string' ? flagsOf(visit, u).system.includes(f) : flagsOf(visit, u).keywords.includes(f.keyword))).map((u) => newUid.get(u) ?? u);
    await applyFlags(s, to, having, [f], 'add', (u) => flagsOf(target, u));
  }
}

function copyCommand(isUid: boolean, isMove: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      const box = s.box;
      const set = parseSeqSet(asAtom(cmd.args[0], 'a sequence set'));
      const dest = decodeMailboxName(asString(cmd.args[1], 'a mailbox name'));
      if (!isUid && box.isOutOfRange(set)) throw new ImapError('BAD', 'Message sequence number out of range');
      if (isMove && box.isReadOnly) throw new ImapError('NO', 'The mailbox is read-only', 'READ-ONLY');
      let folder;
      try {
        folder = resolveFolder(s.core, s.actor, dest);
      } catch (err) {
        throw new ImapError('NO', (err as Error).message, 'TRYCREATE');
      }
      const uids = box.resolve(set, isUid).filter((u) => !box.isExpunged(u));
      if (uids.length === 0) return ok('Nothing to copy');
      const copied = await s.core.messages.copy(s.actor, box.room.roomnum, folder.room.roomnum, uids, { isMove });
      const newUid = new Map(copied.map((c) => [c.msgnum, c.newMsgnum]));
      if (folder.room.roomnum !== box.room.roomnum) await copyFlags(s, folder.room.roomnum, uids, newUid);
      if (isMove && folder.room.roomnum !== box.room.roomnum) await forgetFlags(s, box.room.roomnum, uids);
      const code = `COPYUID ${folder.room.generation} ${seqSetString(uids)} ${seqSetString(uids.map((u) => newUid.get(u) ?? u))}`;
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
