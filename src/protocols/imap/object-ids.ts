// OBJECTID (RFC 8474) from Keep's model: a folder's MAILBOXID is its room number (kept across
// RENAME, never reused: a folder deleted and created again is a new room); a message's EMAILID
// is its global message number, the same in every folder that holds it (single-instance store);
// its THREADID names the thread's first Message-ID (the first References entry, else
// In-Reply-To, else its own), so every reply in a thread has it whichever folder it is in.
import { createHash } from 'node:crypto';
import type { Message, Room } from '../../core/index.ts';

export const mailboxId = (room: Room): string => `F${room.roomnum}`;

export const emailId = (msgnum: number): string => `M${msgnum}`;

export function threadId(msg: Pick<Message, 'references' | 'inReplyTo' | 'messageId' | 'msgnum'>): string {
  const root = msg.references[0] ?? msg.inReplyTo ?? msg.messageId;
  if (!root) return `T${msg.msgnum}`;
  return `T${createHash('sha256').update(root.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}
