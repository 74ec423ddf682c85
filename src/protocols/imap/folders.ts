// IMAP mailbox names ↔ rooms. Personal namespace "": INBOX is the Mail room, Sent, Drafts,
// Trash and Junk are the role mailboxes (RFC 6154 SPECIAL-USE), other names are the user's
// own mailbox rooms. Shared namespace "Public/": every other room the user can read.
import type { Actor, Core, Room, RoomAccess } from '../../core/index.ts';
import { CoreError } from '../../core/index.ts';

export const DELIMITER = '/';
export const SHARED_PREFIX = 'Public';

export interface Folder {
  /** the IMAP name (Unicode; encoded at the wire edge) */
  name: string;
  room: Room;
  access: RoomAccess;
  specialUse?: string;
  isShared: boolean;
  isSubscribed: boolean;
}

const ROLES: { role: string; name: string; use?: string }[] = [
  { role: 'inbox', name: 'INBOX' },
  { role: 'sent', name: 'Sent', use: '\\Sent' },
  { role: 'drafts', name: 'Drafts', use: '\\Drafts' },
  { role: 'trash', name: 'Trash', use: '\\Trash' },
  { role: 'junk', name: 'Junk', use: '\\Junk' },
];

/** Names a user folder may not take: the role mailboxes and the shared prefix. */
export function isReservedName(name: string): boolean {
  const n = name.toLowerCase();
  return ROLES.some((r) => r.name.toLowerCase() === n) || n === SHARED_PREFIX.toLowerCase() || n.startsWith(`${SHARED_PREFIX.toLowerCase()}${DELIMITER}`);
}

/** "inbox" in any case is INBOX (RFC 3501 §5.1); trailing delimiters are dropped. */
export function normalise(name: string): string {
  const n = name.replace(/\/+$/, '');
  if (n.toUpperCase() === 'INBOX') return 'INBOX';
  if (n.toUpperCase().startsWith('INBOX/')) return `INBOX${n.slice(5)}`;
  return n;
}

/** Every folder the user can see, personal first. */
export function listFolders(core: Core, actor: Actor): Folder[] {
  const usernum = actor.kind === 'user' ? actor.usernum : -1;
  const subscribed = actor.kind === 'user' ? core.subscriptions.list(actor) : undefined;
  const isSubscribed = (name: string) => !subscribed || subscribed.includes(name);
  const out: Folder[] = [];
  for (const l of core.rooms.listAll(actor)) {
    const r = l.room;
    if (r.kind === 'direct') continue;
    if (r.kind === 'mailbox') {
      if (!r.owners.includes(usernum)) continue;
      const role = ROLES.find((x) => x.role === r.role);
      const name = role ? role.name : r.name;
      out.push({ name, room: r, access: l.access, isShared: false, isSubscribed: isSubscribed(name), ...(role?.use ? { specialUse: role.use } : {}) });
    } else {
      out.push({ name: `${SHARED_PREFIX}${DELIMITER}${r.name}`, room: r, access: l.access, isShared: true, isSubscribed: !l.access.isZapped });
    }
  }
  const rank = (f: Folder) => (f.isShared ? 2 : ROLES.some((x) => x.name === f.name) ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? 0 : a.name.localeCompare(b.name)));
}

/** The folder an IMAP name refers to; not-found when the user cannot see it. */
export function resolveFolder(core: Core, actor: Actor, imapName: string): Folder {
  const name = normalise(imapName);
  if (actor.kind === 'user') {
    const role = ROLES.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (role) {
      const room = core.rooms.mailbox(actor.usernum, role.role);
      return { name: role.name, room, access: core.rooms.access(actor, room.roomnum), isShared: false, isSubscribed: true, ...(role.use ? { specialUse: role.use } : {}) };
    }
  }
  const direct = findDirect(core, actor, name);
  if (direct) return direct;
  const all = listFolders(core, actor);
  const found = all.find((f) => f.name === name) ?? all.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new CoreError('not-found', `Mailbox '${name}' does not exist.`);
  return found;
}

/**
 * A room by its name without listing every room (which counts every room's messages):
 * "Public/<room>" is a shared room, any other name one of the user's own mailbox rooms.
 * undefined when the quick lookup cannot decide (a shared room shadows a personal name).
 */
function findDirect(core: Core, actor: Actor, name: string): Folder | undefined {
  const prefix = `${SHARED_PREFIX}${DELIMITER}`;
  const isShared = name.startsWith(prefix);
  const room = core.rooms.findByName(actor, isShared ? name.slice(prefix.length) : name);
  if (!room || room.kind === 'direct') return undefined;
  const isOwn = room.kind === 'mailbox' && actor.kind === 'user' && room.owners.includes(actor.usernum) && !room.role;
  if (isShared === (room.kind === 'mailbox') || (!isShared && !isOwn)) return undefined;
  const access = core.rooms.access(actor, room.roomnum);
  if (!access.canRead) return undefined;
  return { name: isShared ? `${prefix}${room.name}` : room.name, room, access, isShared, isSubscribed: isShared ? !access.isZapped : true };
}

/** RFC 3501 §6.3.8 pattern: '*' matches anything, '%' anything but the delimiter. */
export function matcher(reference: string, pattern: string): (name: string) => boolean {
  const full = normalise(reference && !pattern.startsWith(DELIMITER) ? `${reference}${pattern}` : pattern);
  const re = full.split('').map((c) => (c === '*' ? '.*' : c === '%' ? '[^/]*' : c.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('');
  const isInboxPattern = /^inbox/i.test(full);
  const rx = new RegExp(`^${re}$`, isInboxPattern ? 'i' : '');
  return (name) => rx.test(name);
}
