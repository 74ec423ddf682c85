// STORE and UID STORE (RFC 3501 §6.4.6): set, add or remove flags through core's visit record.
import { flagsOf, type FlagChange } from '../../../core/index.ts';
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, parseSeqSet, type Value } from '../parser.ts';
import { flagList, seqSetString } from '../render.ts';
import { parseFlags, SYSTEM_FLAGS, type Flag } from './flags.ts';

type Mode = 'set' | 'add' | 'remove';

/** Apply flags to messages: every change in one core write (one commit to wait for). */
export async function applyFlags(s: Pick<Authed, 'core' | 'actor'>, roomnum: number, uids: number[], flags: Flag[], mode: Mode, current: (uid: number) => { system: string[]; keywords: string[] }): Promise<void> {
  const changes: FlagChange[] = [];
  const set = (flag: Flag, isOn: boolean, msgnums: number[]) => { if (msgnums.length) changes.push({ flag, isOn, msgnums }); };
  if (mode !== 'set') {
    for (const f of flags) {
      const has = (u: number) => (typeof f === 'string' ? current(u).system.includes(f) : current(u).keywords.includes(f.keyword));
      set(f, mode === 'add', uids.filter((u) => has(u) !== (mode === 'add')));
    }
  } else {
    const wantSystem = new Set(flags.filter((f): f is Exclude<Flag, { keyword: string }> => typeof f === 'string'));
    const wantKeywords = new Set(flags.flatMap((f) => (typeof f === 'string' ? [] : [f.keyword])));
    for (const f of SYSTEM_FLAGS) {
      const isOn = wantSystem.has(f);
      set(f, isOn, uids.filter((u) => current(u).system.includes(f) !== isOn));
    }
    const existing = new Set(uids.flatMap((u) => current(u).keywords));
    for (const k of new Set([...existing, ...wantKeywords])) {
      const isOn = wantKeywords.has(k);
      set({ keyword: k }, isOn, uids.filter((u) => current(u).keywords.includes(k) !== isOn));
    }
  }
  await s.core.visits.setFlags(s.actor, roomnum, changes);
}

/** STORE modifiers (RFC 7162 §3.1.3): (UNCHANGEDSINCE n). */
function parseUnchangedSince(list: Value[]): number {
  const [name, value] = list;
  if (list.length !== 2 || name?.t !== 'atom' || name.v.toUpperCase() !== 'UNCHANGEDSINCE') throw new ImapError('BAD', 'Unknown STORE modifier');
  if (value?.t !== 'atom' || !/^\d{1,19}$/.test(value.v)) throw new ImapError('BAD', 'UNCHANGEDSINCE needs a mod-sequence');
  return Number(value.v);
}

function storeCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s, cmd) {
      const box = s.box;
      const setArg = asAtom(cmd.args[0], 'a sequence set');
      const unchangedSince = cmd.args[1]?.t === 'list' ? parseUnchangedSince(cmd.args[1].v) : undefined;
      const args = unchangedSince === undefined ? cmd.args : [cmd.args[0]!, ...cmd.args.slice(2)];
      const what = asAtom(args[1], 'a STORE data item').toUpperCase();
      const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(what);
      if (!m) throw new ImapError('BAD', `Unknown STORE data item ${what.slice(0, 30)}`);
      const rest = args.slice(2);
      const flags = parseFlags(rest.length === 1 && rest[0]!.t === 'list' ? rest[0]!.v : rest);
      if (box.isExamine) throw new ImapError('NO', 'The mailbox was opened with EXAMINE', 'READ-ONLY');
      const set = parseSeqSet(setArg);
      if (!isUid && box.isOutOfRange(set)) throw new ImapError('BAD', 'Message sequence number out of range');
      const named = box.resolve(set, isUid);
      let nums = named.filter((n) => !box.isExpunged(n));
      let modified: number[] = [];
      if (unchangedSince !== undefined) {
        s.enableCondstore();
        modified = nums.filter((n) => box.modseq(n) > unchangedSince);
        nums = nums.filter((n) => box.modseq(n) <= unchangedSince);
      }
      const mode: Mode = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
      const fresh = s.core.visits.get(s.actor.usernum, box.room.roomnum);
      await applyFlags(s, box.room.roomnum, nums, flags, mode, (n) => flagsOf(fresh, n));
      box.absorbOwnFlags(nums);
      // a new keyword is announced in FLAGS before any FETCH shows it (RFC 3501 §7.2.6)
      // (another session's keywords on these messages count too: the FETCH shows all of them)
      for (const l of box.announce([...flags.flatMap((f) => (typeof f === 'string' ? [] : [f.keyword])), ...nums.flatMap((n) => box.flags(n).keywords)])) s.send(l);
      // with CONDSTORE on, .SILENT still reports the new MODSEQ (RFC 7162 §3.1.3)
      if (!m[2] || s.isCondstore) {
        for (const n of nums) {
          const parts = isUid ? [`UID ${box.uidOf(n)}`] : [];
          if (s.isCondstore) parts.push(`MODSEQ (${box.modseq(n)})`);
          if (!m[2]) parts.push(`FLAGS ${flagList(box.flags(n))}`);
          s.send(`* ${box.seqOf(n)} FETCH (${parts.join(' ')})\r\n`);
        }
      }
      const done = `${isUid ? 'UID ' : ''}STORE completed`;
      if (modified.length) return ok(`Conditional ${done}`, `MODIFIED ${seqSetString(modified.map((n) => (isUid ? box.uidOf(n) : box.seqOf(n))))}`);
      if (nums.length < named.length && unchangedSince === undefined) return ok('Some messages were expunged meanwhile', 'EXPUNGEISSUED');
      return ok(done);
    },
  });
}

export const storeCommands: CommandTable = {
  STORE: storeCommand(false),
  'UID STORE': storeCommand(true),
};
