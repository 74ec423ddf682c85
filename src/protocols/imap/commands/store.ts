// STORE and UID STORE (RFC 3501 §6.4.6): set, add or remove flags through core's visit record.
import { flagsOf } from '../../../core/index.ts';
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, parseSeqSet } from '../parser.ts';
import { flagList } from '../render.ts';
import { parseFlags, SYSTEM_FLAGS, type Flag } from './flags.ts';

type Mode = 'set' | 'add' | 'remove';

/** Apply flags to messages: one core write per flag that changes. */
export async function applyFlags(s: Pick<Authed, 'core' | 'actor'>, roomnum: number, uids: number[], flags: Flag[], mode: Mode, current: (uid: number) => { system: string[]; keywords: string[] }): Promise<void> {
  const set = (f: Flag, on: boolean, nums: number[]) => (nums.length ? s.core.visits.setFlag(s.actor, roomnum, nums, f, on) : Promise.resolve(0));
  if (mode !== 'set') {
    for (const f of flags) {
      const has = (u: number) => (typeof f === 'string' ? current(u).system.includes(f) : current(u).keywords.includes(f.keyword));
      await set(f, mode === 'add', uids.filter((u) => has(u) !== (mode === 'add')));
    }
    return;
  }
  const wantSystem = new Set(flags.filter((f): f is Exclude<Flag, { keyword: string }> => typeof f === 'string'));
  const wantKeywords = new Set(flags.flatMap((f) => (typeof f === 'string' ? [] : [f.keyword])));
  for (const f of SYSTEM_FLAGS) {
    const isOn = wantSystem.has(f);
    await set(f, isOn, uids.filter((u) => current(u).system.includes(f) !== isOn));
  }
  const existing = new Set(uids.flatMap((u) => current(u).keywords));
  for (const k of new Set([...existing, ...wantKeywords])) {
    const isOn = wantKeywords.has(k);
    await set({ keyword: k }, isOn, uids.filter((u) => current(u).keywords.includes(k) !== isOn));
  }
}

function storeCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      const box = s.box;
      const setArg = asAtom(cmd.args[0], 'a sequence set');
      const what = asAtom(cmd.args[1], 'a STORE data item').toUpperCase();
      const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(what);
      if (!m) throw new ImapError('BAD', `Unknown STORE data item ${what.slice(0, 30)}`);
      const rest = cmd.args.slice(2);
      const flags = parseFlags(rest.length === 1 && rest[0]!.t === 'list' ? rest[0]!.v : rest);
      if (box.isReadOnly) throw new ImapError('NO', 'The mailbox is read-only', 'READ-ONLY');
      const set = parseSeqSet(setArg);
      if (!isUid && box.isOutOfRange(set)) throw new ImapError('BAD', 'Message sequence number out of range');
      const uids = box.resolve(set, isUid).filter((u) => !box.isExpunged(u));
      const mode: Mode = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
      const fresh = s.core.visits.get(s.actor.usernum, box.room.roomnum);
      await applyFlags(s, box.room.roomnum, uids, flags, mode, (u) => flagsOf(fresh, u));
      box.absorbOwnFlags();
      if (!m[2]) {
        for (const u of uids) s.send(`* ${box.seqOf(u)} FETCH (${isUid ? `UID ${u} ` : ''}FLAGS ${flagList(box.flags(u))})\r\n`);
      }
      return ok(`${isUid ? 'UID ' : ''}STORE completed`);
    },
  });
}

export const storeCommands: CommandTable = {
  STORE: storeCommand(false),
  'UID STORE': storeCommand(true),
};
