// STATUS (RFC 3501 §6.3.10): counts of a folder without selecting it; APPENDLIMIT (RFC 7889 §4),
// DELETED and DELETED-STORAGE (RFC 9208 §4.2).
import { ranges } from '../../../core/index.ts';
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asList, asString, decodeMailboxName } from '../parser.ts';
import { resolveFolder } from '../folders.ts';
import { mailboxName } from '../render.ts';

/** RFC 9208 §4.2.2: what EXPUNGE would free, in units of 1024 octets. */
function deletedStorage(s: Authed, roomnum: number, deleted: number[]): number {
  let bytes = 0;
  for (const n of deleted) bytes += s.core.messages.get(s.actor, n, roomnum).size;
  return Math.ceil(bytes / 1024);
}

export const statusCommands: CommandTable = {
  STATUS: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const folder = resolveFolder(s.core, s.actor, decodeMailboxName(asString(cmd.args[0], 'a mailbox name'), s.isUtf8));
      const items = asList(cmd.args[1], 'status item list').map((v) => asString(v, 'a status item').toUpperCase());
      const placements = s.core.messages.placements(s.actor, folder.room.roomnum);
      const msgs = placements.map((p) => p.msgnum);
      const visit = s.core.visits.get(s.actor.usernum, folder.room.roomnum);
      const out: string[] = [];
      for (const item of items) {
        switch (item) {
          case 'MESSAGES': out.push(`MESSAGES ${msgs.length}`); break;
          case 'RECENT': out.push(`RECENT ${s.recent.count(s.actor.usernum, folder.room.roomnum, placements.map((p) => p.uid))}`); break;
          case 'UIDNEXT': out.push(`UIDNEXT ${s.core.messages.uidNext(s.actor, folder.room.roomnum)}`); break;
          case 'UIDVALIDITY': out.push(`UIDVALIDITY ${folder.room.generation}`); break;
          case 'HIGHESTMODSEQ': out.push(`HIGHESTMODSEQ ${Math.max(s.core.journal.highestModseq(), visit.modseq, 1)}`); break;
          case 'DELETED': out.push(`DELETED ${msgs.filter((n) => ranges.has(visit.deleted, n)).length}`); break;
          case 'DELETED-STORAGE': out.push(`DELETED-STORAGE ${deletedStorage(s, folder.room.roomnum, msgs.filter((n) => ranges.has(visit.deleted, n)))}`); break;
          case 'APPENDLIMIT': out.push(`APPENDLIMIT ${s.config.maxMessageSize}`); break;
          case 'UNSEEN': out.push(`UNSEEN ${msgs.filter((n) => !ranges.has(visit.seen, n)).length}`); break;
          default: throw new ImapError('BAD', `Unknown STATUS item ${item.slice(0, 20)}`);
        }
      }
      s.send(`* STATUS ${mailboxName(folder.name, s.isUtf8)} (${out.join(' ')})\r\n`);
      return ok('STATUS completed');
    },
  }),
};
