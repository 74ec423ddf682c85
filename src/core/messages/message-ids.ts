// The Message-ID index. The first message with an ID owns the plain key; a later message with
// the same ID (from another author, or claimed in advance by someone who guessed it) gets its
// own entry under `<id>\0<msgnum>` instead of being left out or displacing the first, so every
// message stays findable and a lookup can return the first one the reader may read.
import type { Dbs } from '../../store/index.ts';

const SEP = '\u0000';
const pad = (msgnum: number) => String(msgnum).padStart(15, '0');

/** Index a message's ID (inside the caller's write transaction). */
export function indexMessageIdInTxn(dbs: Dbs, messageId: string, msgnum: number): void {
  const first = dbs.messageIds.get(messageId);
  if (first === undefined) dbs.messageIds.putSync(messageId, msgnum);
  else if (first !== msgnum) dbs.messageIds.putSync(`${messageId}${SEP}${pad(msgnum)}`, msgnum);
}

/** Drop a purged message's entry (inside the caller's write transaction). */
export function unindexMessageIdInTxn(dbs: Dbs, messageId: string, msgnum: number): void {
  if (dbs.messageIds.get(messageId) === msgnum) dbs.messageIds.removeSync(messageId);
  else dbs.messageIds.removeSync(`${messageId}${SEP}${pad(msgnum)}`);
}

/** Every message holding this ID, the owner of the plain key first, then the others oldest first. */
export function messagesWithId(dbs: Dbs, messageId: string): number[] {
  const out: number[] = [];
  const first = dbs.messageIds.get(messageId);
  if (first !== undefined) out.push(first);
  for (const { value } of dbs.messageIds.getRange({ start: `${messageId}${SEP}`, end: `${messageId}\u0001` })) out.push(value);
  return out;
}
