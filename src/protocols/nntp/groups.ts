// The newsgroups a reader sees: rooms they may read, named by group-names.ts. Visibility is
// core's access decision plus two NNTP rules: personal rooms (mailboxes, direct chats) are mail,
// not news, and an anonymous reader (when allowed at all) sees public rooms only.
import type { Actor, Core, Message, Room, RoomAccess, RoomSpan } from '../../core/index.ts';
import { assignGroupNames } from './group-names.ts';

export interface Group {
  name: string;
  room: Room;
  access: RoomAccess;
  /** message numbers of the room, ascending (the article numbers) */
  numbers(): number[];
  /** the same numbers, read a page at a time as iterated */
  walk(): Iterable<number>;
  /** article count, lowest and highest number, without listing them */
  span(): RoomSpan;
  /** article numbers from..to, at most max (isTruncated when there were more), read as iterated */
  numbersInRange(from: number, to: number, max: number): { count: number; isTruncated: boolean; nums: Iterable<number> };
  /** articles numbered from..to, at most max (isTruncated when there were more), read as iterated */
  inRange(from: number, to: number, max: number): { count: number; isTruncated: boolean; messages: Iterable<Message> };
}

export interface Reader { actor: Actor; isAnonymous: boolean }

/** Every group this reader may see, in name order. */
export function listGroups(core: Core, reader: Reader): Group[] {
  const floors = new Map(core.floors.list().map((f) => [f.floornum, f.name]));
  const visible = core.rooms.listAll(reader.actor).filter((l) =>
    l.access.canRead && l.room.kind !== 'mailbox' && l.room.kind !== 'direct' && (!reader.isAnonymous || l.room.kind === 'public'));
  const named = assignGroupNames(visible.map((l) => ({ ...l, roomnum: l.room.roomnum, name: l.room.name, floor: l.room.floor })), (n) => floors.get(n));
  return [...named].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, l]) => ({
    name, room: l.room, access: l.access,
    numbers: () => core.messages.list(reader.actor, l.room.roomnum),
    walk: () => core.messages.walk(reader.actor, l.room.roomnum, { kind: 'all' }),
    span: () => core.messageRanges.span(reader.actor, l.room.roomnum),
    inRange: (from, to, max) => core.messageRanges.inRange(reader.actor, l.room.roomnum, from, to, max),
    numbersInRange: (from, to, max) => core.messageRanges.numbersInRange(reader.actor, l.room.roomnum, from, to, max),
  }));
}
