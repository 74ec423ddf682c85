// Room types translators see, room-name keys, and the access decision for one user and room.
import type { RoomKind, RoomRecord, VisitRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { isAide, LEVEL } from '../actor.ts';
import { CoreError } from '../errors.ts';

export type { RoomKind };

export interface Room {
  roomnum: number;
  name: string;
  kind: RoomKind;
  floor: number;
  order: number;
  aide: number;
  owners: number[];
  generation: number;
  highest: number;
  created: number;
  mtime: number;
  info: string;
  infoTime: number;
  listAddress?: string;
  isPermanent: boolean;
  isReadOnly: boolean;
  hasPassword: boolean;
  role?: string;
  defaultView: number;
}

export interface RoomAccess {
  canRead: boolean;
  canPost: boolean;
  /** aide or room aide: edit, delete messages, invite */
  canAdmin: boolean;
  canDelete: boolean;
  isKnown: boolean;
  isZapped: boolean;
}

export const BASE_ROOM = 'Lobby';
export const AIDE_ROOM = 'Aide';
export const MAILBOXES: { name: string; role: string }[] = [
  { name: 'Mail', role: 'inbox' },
  { name: 'Sent Items', role: 'sent' },
  { name: 'Drafts', role: 'drafts' },
  { name: 'Trash', role: 'trash' },
  { name: 'Junk', role: 'junk' },
];

export function toRoom(r: RoomRecord): Room {
  const room: Room = {
    roomnum: r.roomnum, name: r.name, kind: r.kind, floor: r.floor, order: r.order, aide: r.aide,
    owners: r.owners, generation: r.generation, highest: r.highest, created: r.created, mtime: r.mtime,
    info: r.info ?? '', infoTime: r.infoTime ?? 0, isPermanent: r.isPermanent, isReadOnly: r.isReadOnly,
    hasPassword: Boolean(r.passwordHash), defaultView: r.defaultView,
  };
  if (r.listAddress) room.listAddress = r.listAddress;
  if (r.role) room.role = r.role;
  return room;
}

/** The key a room's name is indexed under: personal rooms are scoped by their owner. */
export function nameKey(name: string, owner?: number): string {
  const n = name.trim().toLowerCase();
  return owner === undefined ? n : `~${owner}/${n}`;
}

export function validateRoomName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (n.length < 1 || n.length > 50 || /[|\x00-\x1f\x7f]/.test(n) || n.startsWith('~') || /^_.*_$/.test(n)) {
    throw new CoreError('invalid', `'${name}' is not a valid room name.`);
  }
  return n;
}

/** What a user may do in a room, given their visit record (undefined: never visited). */
export function accessFor(actor: Actor, room: RoomRecord, visit: VisitRecord | undefined): RoomAccess {
  const aide = isAide(actor);
  const usernum = actor.kind === 'user' ? actor.usernum : -1;
  const isOwner = room.owners.includes(usernum);
  const isRoomAide = room.aide === usernum && usernum > 0;
  const isInvited = visit?.isInvited ?? false;
  const isZapped = visit?.isZapped ?? false;
  let canRead: boolean;
  switch (room.kind) {
    case 'public': canRead = true; break;
    case 'hidden': canRead = true; break;
    case 'private-invite': canRead = aide || isRoomAide || isInvited; break;
    case 'private-password': canRead = aide || isRoomAide || isInvited; break;
    case 'mailbox': canRead = isOwner || actor.kind === 'system'; break;
    case 'direct': canRead = isOwner || actor.kind === 'system'; break;
  }
  if (room.deletedAt) canRead = actor.kind === 'system';
  const level = actor.kind === 'user' ? actor.level : LEVEL.aide;
  const isPersonal = room.kind === 'mailbox' || room.kind === 'direct';
  const canAdmin = !isPersonal && (aide || isRoomAide);
  // a new (unvalidated) account already posts in rooms; what it may not do is reach outside or
  // strangers (core/policy/send-policy.ts). usernum 0 is a reader with no account (NNTP anonymous).
  const hasAccount = actor.kind === 'system' || actor.usernum > 0;
  const canPost = canRead && hasAccount && (isPersonal || (level >= LEVEL.new && (!room.isReadOnly || canAdmin)));
  const isKnown = canRead && !isZapped && (room.kind !== 'hidden' || visit !== undefined || aide);
  return { canRead, canPost, canAdmin, canDelete: canAdmin || (isPersonal && isOwner), isKnown, isZapped };
}
