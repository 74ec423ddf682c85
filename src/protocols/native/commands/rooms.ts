// Room commands (protocol/rooms.md): GOTO, GETA, RINF, LKRA/LKRN/LKRO/LZRM/LRMS/LPRM, LFLR, SLRP, FORG.
import type { Room, RoomAccess, RoomFilter } from '../../../core/index.ts';
import { ERR } from '../codes.ts';
import { field, intField } from '../parser.ts';
import { fail, listing, ok, type Reply } from '../reply.ts';
import { fieldValue, gotoFields, roomListLine, textLines } from '../render.ts';
import type { Session } from '../session.ts';
import type { CommandTable, Entry, InRoom, UserActor } from './types.ts';

const UNGOTO_DEPTH = 16;

/** Make a room current and build GOTO's 16 fields (also used after CRE8). */
export function enterRoom(s: Session, actor: UserActor, room: Room, access: RoomAccess, visit: { lastSeen: number; infoSeen: number; seen: [number, number][] }, from?: number): Reply {
  const c = s.core;
  const counts = c.rooms.counts(room.roomnum, c.visits.find(actor.usernum, room.roomnum));
  const inbox = c.rooms.mailbox(actor.usernum, 'inbox');
  // new mail since the last report, not the unread total (which would nag on every GOTO)
  const newMail = inbox.highest > s.mailMark ? c.messages.list(actor, inbox.roomnum, { kind: 'gt', n: s.mailMark }).length : 0;
  s.mailMark = Math.max(s.mailMark, inbox.highest);
  if (from !== undefined && from !== room.roomnum) {
    s.ungoto.push(from);
    if (s.ungoto.length > UNGOTO_DEPTH) s.ungoto.shift();
  }
  s.phase = { name: 'in-room', actor, roomnum: room.roomnum, roomName: room.name };
  if (s.chat && s.chat.roomnum !== room.roomnum) {
    s.chat = undefined;
    s.presence.update({ room: room.name, chatRoom: undefined });
  } else s.presence.update({ room: room.name });
  const fields = gotoFields({
    room, unread: counts.unread, total: counts.total, hasInfo: room.info !== '' && room.infoTime > visit.infoSeen,
    lastSeen: visit.lastSeen, isAide: access.canAdmin, newMail,
  });
  return ok(fields, { mayStar: true });
}

const roomList = (filter: RoomFilter, title: string): Entry => ({
  needs: 'room',
  summary: `${title} (§Room lists)`,
  run({ s, actor }: InRoom, c) {
    const floor = intField(c.args, 0);
    const rooms = s.core.rooms.list(actor, filter, floor !== undefined && floor >= 0 ? floor : undefined);
    return listing(`${title}:`, rooms.map(roomListLine));
  },
});

export const roomCommands: CommandTable = {
  GOTO: {
    needs: 'room',
    summary: 'Enter a room: name|password; _BASEROOM_ and _MAIL_ work (§GOTO)',
    errors: { 'not-found': ERR.ROOM_NOT_FOUND, 'bad-credentials': ERR.PASSWORD_REQUIRED },
    async run({ s, actor, roomnum }, c) {
      const name = field(c.args, 0).trim();
      if (!name) fail(ERR.ILLEGAL_VALUE, 'Usage: GOTO room|password');
      const password = field(c.args, 1);
      const { room, access, visit } = await s.core.rooms.enter(actor, name, password || undefined);
      return enterRoom(s, actor, room, access, visit, roomnum);
    },
  },
  GETA: {
    needs: 'room',
    summary: "The current room's aide (§GETA)",
    run({ s, actor, roomnum }) {
      const room = s.core.rooms.get(actor, roomnum);
      const aide = room.aide > 0 ? s.core.users.getByNum(room.aide).name : '';
      return ok(fieldValue(aide));
    },
  },
  RINF: {
    needs: 'room',
    summary: "The current room's info text (§RINF)",
    async run({ s, actor, roomnum }) {
      const room = s.core.rooms.get(actor, roomnum);
      if (!room.info) fail(ERR.FILE_NOT_FOUND, 'No info file.');
      await s.core.visits.markInfoSeen(actor, roomnum);
      return listing('Info:', textLines(room.info));
    },
  },
  LKRA: roomList('known', 'Known rooms'),
  LKRN: roomList('new', 'Known rooms with new messages'),
  LKRO: roomList('old', 'Known rooms without new messages'),
  LZRM: roomList('zapped', 'Zapped rooms'),
  LRMS: roomList('all', 'All rooms'),
  LPRM: roomList('public', 'Public rooms'),
  LFLR: {
    needs: 'room',
    summary: 'Floors: floornum|name|roomcount (§LFLR)',
    run({ s }) {
      return listing('Known floors:', s.core.floors.list().map((f) => `${f.floornum}|${fieldValue(f.name)}|${f.roomCount}`));
    },
  },
  SLRP: {
    needs: 'room',
    summary: 'Set the last-read pointer: msgnum or HIGHEST (§SLRP)',
    async run({ s, actor, roomnum }, c) {
      const arg = field(c.args, 0).trim();
      const n = arg.toUpperCase() === 'HIGHEST' ? s.core.rooms.get(actor, roomnum).highest : intField(c.args, 0);
      if (n === undefined || n < 0) fail(ERR.ILLEGAL_VALUE, 'Usage: SLRP msgnum | SLRP HIGHEST');
      s.core.rooms.get(actor, roomnum);
      return ok(String(await s.core.visits.setLastSeen(actor, roomnum, n)));
    },
  },
  FORG: {
    needs: 'room',
    summary: 'Zap (forget) the current room and go to the base room (§FORG)',
    errors: { forbidden: ERR.NOT_HERE },
    async run({ s, actor, roomnum }) {
      await s.core.rooms.setZapped(actor, roomnum, true);
      const { room } = await s.core.rooms.enter(actor, '_BASEROOM_');
      s.phase = { name: 'in-room', actor, roomnum: room.roomnum, roomName: room.name };
      s.presence.update({ room: room.name });
      return ok('Ok');
    },
  },
};
