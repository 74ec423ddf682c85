// STATUS (RFC 3501 §6.3.10): counts of a folder without selecting it; the same answer follows
// LIST for LIST-STATUS (RFC 5819). Items beyond RFC 3501: HIGHESTMODSEQ (RFC 7162), APPENDLIMIT
// (RFC 7889 §4), DELETED and DELETED-STORAGE (RFC 9208 §4.2; DELETED is IMAP4rev2's too), SIZE
// (STATUS=SIZE, RFC 8438), MAILBOXID (OBJECTID, RFC 8474).
import { ranges } from '../../../core/index.ts';
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asList, asString, type Value } from '../parser.ts';
import { resolveFolder, type Folder } from '../folders.ts';
import { mailboxId } from '../object-ids.ts';

const ITEMS = new Set(['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'HIGHESTMODSEQ', 'UNSEEN', 'DELETED', 'DELETED-STORAGE', 'APPENDLIMIT', 'SIZE', 'MAILBOXID']);

/** The status item list, upper-cased; BAD on an unknown item. */
export function parseStatusItems(values: Value[]): string[] {
  return values.map((v) => {
    const item = asString(v, 'a status item').toUpperCase();
    if (!ITEMS.has(item)) throw new ImapError('BAD', `Unknown STATUS item ${item.slice(0, 20)}`);
    return item;
  });
}

/** RFC 9208 §4.2.2: what EXPUNGE would free, in units of 1024 octets. */
function deletedStorage(s: Authed, roomnum: number, deleted: number[]): number {
  let bytes = 0;
  for (const n of deleted) bytes += s.core.messages.get(s.actor, n, roomnum).size;
  return Math.ceil(bytes / 1024);
}

/** The untagged STATUS response of a folder for the given items. */
export function statusLine(s: Authed, folder: Folder, items: string[]): string {
  const roomnum = folder.room.roomnum;
  const placements = s.core.messages.placements(s.actor, roomnum);
  const msgs = placements.map((p) => p.msgnum);
  const visit = s.core.visits.get(s.actor.usernum, roomnum);
  const out: string[] = [];
  for (const item of items) {
    switch (item) {
      case 'MESSAGES': out.push(`MESSAGES ${msgs.length}`); break;
      case 'RECENT': out.push(`RECENT ${s.recent.count(s.actor.usernum, roomnum, placements.map((p) => p.uid))}`); break;
      case 'UIDNEXT': out.push(`UIDNEXT ${s.core.messages.uidNext(s.actor, roomnum)}`); break;
      case 'UIDVALIDITY': out.push(`UIDVALIDITY ${folder.room.generation}`); break;
      case 'HIGHESTMODSEQ': out.push(`HIGHESTMODSEQ ${Math.max(s.core.journal.highestModseq(), visit.modseq, 1)}`); break;
      case 'DELETED': out.push(`DELETED ${msgs.filter((n) => ranges.has(visit.deleted, n)).length}`); break;
      case 'DELETED-STORAGE': out.push(`DELETED-STORAGE ${deletedStorage(s, roomnum, msgs.filter((n) => ranges.has(visit.deleted, n)))}`); break;
      case 'APPENDLIMIT': out.push(`APPENDLIMIT ${s.config.maxMessageSize}`); break;
      case 'UNSEEN': out.push(`UNSEEN ${msgs.filter((n) => !ranges.has(visit.seen, n)).length}`); break;
      case 'SIZE': out.push(`SIZE ${s.core.messages.roomSize(s.actor, roomnum)}`); break;
      case 'MAILBOXID': out.push(`MAILBOXID (${mailboxId(folder.room)})`); break;
    }
  }
  return `* STATUS ${s.wireName(folder.name)} (${out.join(' ')})\r\n`;
}

export const statusCommands: CommandTable = {
  STATUS: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const folder = resolveFolder(s.core, s.actor, s.nameFromWire(asString(cmd.args[0], 'a mailbox name')));
      s.send(statusLine(s, folder, parseStatusItems(asList(cmd.args[1], 'status item list'))));
      return ok('STATUS completed');
    },
  }),
};
