// SELECT, EXAMINE, CLOSE, UNSELECT (RFC 3501 §6.3.1–2, §6.4.2; RFC 3691). UIDVALIDITY is the
// room's generation and UIDs are placement numbers in the room; rooms the user may not post in
// are read-only.
import { ranges } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asAtom, asList, asString, parseNumberSet, type SeqSet, type Value } from '../parser.ts';
import { resync } from './qresync.ts';
import { DELIMITER, resolveFolder } from '../folders.ts';
import { mailboxId } from '../object-ids.ts';

interface SelectParams {
  isCondstore: boolean;
  qresync?: { uidValidity: number; modseq: number; known?: SeqSet };
}

/** SELECT parameters (RFC 7162): (CONDSTORE) or (QRESYNC (uidvalidity modseq [known-uids [seq-match]])). */
function selectParams(arg: Value | undefined): SelectParams {
  if (!arg) return { isCondstore: false };
  const list = asList(arg, 'SELECT parameters');
  const out: SelectParams = { isCondstore: false };
  for (let i = 0; i < list.length; i++) {
    const word = asAtom(list[i], 'a SELECT parameter').toUpperCase();
    if (word === 'CONDSTORE') out.isCondstore = true;
    else if (word === 'QRESYNC') {
      const q = asList(list[++i], 'QRESYNC parameters');
      const n = (v: Value | undefined, what: string) => {
        const a = asAtom(v, what);
        if (!/^\d{1,19}$/.test(a)) throw new ImapError('BAD', `Invalid ${what}`);
        return Number(a);
      };
      out.qresync = { uidValidity: n(q[0], 'UIDVALIDITY'), modseq: n(q[1], 'mod-sequence') };
      if (q[2]?.t === 'atom') out.qresync.known = parseNumberSet(q[2].v);
      out.isCondstore = true;
    } else throw new ImapError('BAD', `Unknown SELECT parameter ${word.slice(0, 20)}`);
  }
  return out;
}

function opener(isExamine: boolean) {
  return command({
    needs: 'authenticated',
    async run(s, cmd) {
      const wasSelected = s.box !== undefined;
      s.select(undefined); // a failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1)
      // QRESYNC and IMAP4rev2 clients are told where one mailbox's responses end (RFC 7162 §3.2.11, RFC 9051 §6.3.2)
      if (wasSelected && (s.isQresync || s.isRev2)) s.send('* OK [CLOSED] Previous mailbox closed\r\n');
      const folder = resolveFolder(s.core, s.actor, s.nameFromWire(asString(cmd.args[0], 'a mailbox name')));
      const isReadOnly = isExamine || !folder.access.canPost;
      const params = selectParams(cmd.args[1]);
      if (params.isCondstore) s.enableCondstore();
      if (params.qresync && !s.isQresync) throw new ImapError('BAD', 'QRESYNC must be enabled first (ENABLE QRESYNC)');
      const box = s.openMailbox(folder.room, folder.name, isReadOnly);
      box.isExamine = isExamine;
      s.select(box);
      // per-user flags stay changeable in a room the user may only read (RFC 3501 §6.3.1)
      for (const l of box.flagLines()) s.send(l);
      if (s.isRev2) {
        // RFC 9051 §6.3.2: no RECENT and no UNSEEN code; a LIST response names the mailbox
        s.send(`* ${box.exists} EXISTS\r\n* LIST (${folder.specialUse ?? ''}) "${DELIMITER}" ${s.wireName(folder.name)}\r\n`);
      } else {
        s.send(`* ${box.exists} EXISTS\r\n* ${box.recentCount} RECENT\r\n`);
        const firstUnseen = box.nums.findIndex((n) => !ranges.has(box.visit.seen, n));
        if (firstUnseen >= 0) s.send(`* OK [UNSEEN ${firstUnseen + 1}] First unseen\r\n`);
      }
      s.send(`* OK [UIDVALIDITY ${folder.room.generation}] UIDs valid\r\n`);
      s.send(`* OK [UIDNEXT ${box.uidNext}] Predicted next UID\r\n`);
      s.send(`* OK [HIGHESTMODSEQ ${box.highestModseq()}] Highest\r\n`);
      s.send(`* OK [MAILBOXID (${mailboxId(folder.room)})] Ok\r\n`);
      if (params.qresync && params.qresync.uidValidity === folder.room.generation) resync(s as Selected, params.qresync.modseq, params.qresync.known);
      return ok(`${isExamine ? 'EXAMINE' : 'SELECT'} completed`, isReadOnly ? 'READ-ONLY' : 'READ-WRITE');
    },
  });
}

/** Remove the \Deleted messages of the selected room (EXPUNGE, CLOSE); returns how many. */
export async function expungeDeleted(s: Selected, only?: Set<number>): Promise<number> {
  const box = s.box;
  // the stored flags, not the view's snapshot: another session may have just set \Deleted
  const deleted = s.core.visits.get(s.actor.usernum, box.room.roomnum).deleted;
  const doomed = box.nums.filter((n) => ranges.has(deleted, n) && !box.isExpunged(n) && (!only || only.has(n)));
  if (doomed.length === 0) return 0;
  // core clears this user's own flags on them in the same write (one commit per EXPUNGE)
  return s.core.messages.removeFromRoom(s.actor, box.room.roomnum, doomed);
}

export const selectCommands: CommandTable = {
  SELECT: opener(false),
  EXAMINE: opener(true),
  CLOSE: command({
    needs: 'selected',
    async run(s) {
      // CLOSE expunges silently: no untagged EXPUNGE (RFC 3501 §6.4.2)
      if (!s.box.isReadOnly) await expungeDeleted(s);
      s.select(undefined);
      return ok('CLOSE completed');
    },
  }),
  UNSELECT: command({
    needs: 'selected',
    async run(s) {
      s.select(undefined);
      return ok('UNSELECT completed');
    },
  }),
};
