// Room and floor administration for aides and room aides (protocol/admin.md): CRE8, GETR, SETR,
// EINF, KILL, INVT, KICK, WHOK, CFLR, EFLR, KFLR. Core checks access and writes the audit entries.
import { LEVEL, isAide, type Room, type RoomKind } from '../../../core/index.ts';
import { ERR } from '../codes.ts';
import { field, intField } from '../parser.ts';
import { fail, listing, ok, receive } from '../reply.ts';
import { fieldValue, roomFlags } from '../render.ts';
import type { CommandTable, InRoom } from './types.ts';

/** CRE8's room types (Citadel): 0 public, 1 guess-name, 2 passworded, 3 invitation-only, 4 personal. */
const CRE8_KINDS: RoomKind[] = ['public', 'hidden', 'private-password', 'private-invite', 'mailbox'];

/** SETR's QR_* flags → a room kind (mailboxes keep theirs). */
function kindFromFlags(flags: number, current: RoomKind): RoomKind {
  if (current === 'mailbox' || current === 'direct') return current;
  if ((flags & 4) === 0) return 'public';
  if ((flags & 8) !== 0) return 'private-password';
  if ((flags & 16) !== 0) return 'hidden';
  return 'private-invite';
}

function adminRoom({ s, actor, roomnum }: InRoom): Room {
  const room = s.core.rooms.get(actor, roomnum);
  if (!s.core.rooms.access(actor, roomnum).canAdmin) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required.');
  return room;
}

const requireAide = (r: InRoom) => {
  if (!isAide(r.actor)) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required.');
};

export const adminRoomCommands: CommandTable = {
  CRE8: {
    needs: 'room',
    summary: 'Create a room: post|name|type|password|floor (§CRE8)',
    errors: { 'not-found': ERR.INVALID_FLOOR_OPERATION },
    async run({ s, actor }, c) {
      if ((intField(c.args, 0) ?? 0) === 0) {
        if (actor.level < LEVEL.local) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required to create rooms.');
        return ok('Ok to create a room.');
      }
      const kind = CRE8_KINDS[intField(c.args, 2) ?? 0];
      if (!kind) fail(ERR.ILLEGAL_VALUE, 'Unknown room type.');
      const password = field(c.args, 3);
      const floor = intField(c.args, 4);
      const room = await s.core.rooms.create(actor, {
        name: field(c.args, 1), kind, ...(password ? { password } : {}), ...(floor !== undefined && floor >= 0 ? { floor } : {}),
      });
      return ok(fieldValue(room.name));
    },
  },
  GETR: {
    needs: 'room',
    summary: "The current room's settings: name|password|dir|flags|floor|order|view|flags2| (§GETR)",
    run(r) {
      const room = adminRoom(r);
      // the password is never sent back; SETR with an empty password keeps it
      return ok(`${fieldValue(room.name)}||${room.roomnum}|${roomFlags(room)}|${room.floor}|${room.order}|${room.defaultView}|0|`, { mayStar: true });
    },
  },
  SETR: {
    needs: 'room',
    summary: 'Change the current room: name|password|dir|flags|bump|floor|order|view|flags2 (§SETR)',
    errors: { 'not-found': ERR.INVALID_FLOOR_OPERATION },
    async run(r, c) {
      const room = adminRoom(r);
      const flags = intField(c.args, 3) ?? roomFlags(room);
      const kind = kindFromFlags(flags, room.kind);
      const password = field(c.args, 1);
      const floor = intField(c.args, 5);
      const order = intField(c.args, 6);
      const name = field(c.args, 0).trim();
      if (kind === 'private-password' && !password && !room.hasPassword) fail(ERR.ILLEGAL_VALUE, 'A passworded room needs a password.');
      const updated = await r.s.core.rooms.update(r.actor, r.roomnum, {
        ...(name && name !== room.name ? { name } : {}),
        ...(kind !== room.kind && room.kind !== 'mailbox' ? { kind } : {}),
        ...(password ? { password } : {}),
        ...(floor !== undefined && floor >= 0 && floor !== room.floor ? { floor } : {}),
        ...(order !== undefined && order !== room.order ? { order } : {}),
        ...(room.kind !== 'mailbox' && ((flags & 8192) !== 0) !== room.isReadOnly ? { isReadOnly: (flags & 8192) !== 0 } : {}),
      });
      if (r.s.phase.name === 'in-room') r.s.phase.roomName = updated.name;
      return ok('Ok');
    },
  },
  EINF: {
    needs: 'room',
    summary: "Replace the current room's info text: EINF 0 check, EINF 1 (4xx, lines) (§EINF)",
    run(r, c) {
      adminRoom(r);
      if ((intField(c.args, 0) ?? 0) === 0) return ok('Ok to edit the room info.');
      return receive('Transmit the room info', async (lines) => {
        await r.s.core.rooms.update(r.actor, r.roomnum, { info: lines.join('\n') });
      });
    },
  },
  KILL: {
    needs: 'room',
    summary: 'Delete the current room: 0 check, 1 delete (§KILL)',
    async run(r, c) {
      const room = adminRoom(r);
      if ((intField(c.args, 0) ?? 0) === 0) return ok('Ok to delete this room.');
      await r.s.core.rooms.remove(r.actor, r.roomnum);
      const { room: lobby } = await r.s.core.rooms.enter(r.actor, '_BASEROOM_');
      r.s.phase = { name: 'in-room', actor: r.actor, roomnum: lobby.roomnum, roomName: lobby.name };
      r.s.presence.update({ room: lobby.name });
      return ok(`'${fieldValue(room.name)}' deleted.`);
    },
  },
  INVT: {
    needs: 'room',
    summary: 'Invite a user to the current room (§INVT)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    async run({ s, actor, roomnum }, c) {
      const u = s.core.users.get(c.rest.trim());
      await s.core.rooms.setInvited(actor, roomnum, u.usernum, true);
      return ok(`${fieldValue(u.name)} invited to ${fieldValue(s.core.rooms.get(actor, roomnum).name)}.`);
    },
  },
  KICK: {
    needs: 'room',
    summary: 'Kick a user out of the current room (§KICK)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    async run({ s, actor, roomnum }, c) {
      const u = s.core.users.get(c.rest.trim());
      await s.core.rooms.setInvited(actor, roomnum, u.usernum, false);
      return ok(`${fieldValue(u.name)} kicked out of ${fieldValue(s.core.rooms.get(actor, roomnum).name)}.`);
    },
  },
  WHOK: {
    needs: 'room',
    summary: 'Who knows the current room (§WHOK)',
    run({ s, actor, roomnum }) {
      return listing('Who knows this room:', s.core.rooms.whoKnows(actor, roomnum).map(fieldValue));
    },
  },
  RPWF: {
    needs: 'room',
    summary: 'Wrong passwords tried for the current room (room aides): time|user|origin (§RPWF)',
    run({ s, actor, roomnum }) {
      const failures = s.core.rooms.passwordFailures(actor, roomnum);
      return listing('Wrong passwords for this room:', failures.map((f) => `${Math.floor(f.time / 1000)}|${fieldValue(f.user)}|${fieldValue(f.origin)}`));
    },
  },
  CFLR: {
    needs: 'room',
    summary: 'Create a floor: name|0 check, name|1 create (§CFLR)',
    async run(r, c) {
      requireAide(r);
      if ((intField(c.args, 1) ?? 0) === 0) return ok('Ok to create a floor.');
      const f = await r.s.core.floors.create(r.actor, field(c.args, 0));
      return ok(`${f.floornum}|${fieldValue(f.name)}`);
    },
  },
  EFLR: {
    needs: 'room',
    summary: 'Rename a floor: num|name (§EFLR)',
    errors: { 'not-found': ERR.INVALID_FLOOR_OPERATION },
    async run(r, c) {
      const num = intField(c.args, 0);
      if (num === undefined) fail(ERR.ILLEGAL_VALUE, 'Usage: EFLR num|name');
      const f = await r.s.core.floors.rename(r.actor, num, field(c.args, 1));
      return ok(`${f.floornum}|${fieldValue(f.name)}`);
    },
  },
  KFLR: {
    needs: 'room',
    summary: 'Delete an empty floor: num|0 check, num|1 delete (§KFLR)',
    errors: { 'not-found': ERR.INVALID_FLOOR_OPERATION, invalid: ERR.INVALID_FLOOR_OPERATION },
    async run(r, c) {
      requireAide(r);
      const num = intField(c.args, 0);
      if (num === undefined) fail(ERR.ILLEGAL_VALUE, 'Usage: KFLR num|1');
      if ((intField(c.args, 1) ?? 0) === 0) {
        const f = r.s.core.floors.get(num);
        if (f.roomCount > 0) fail(ERR.INVALID_FLOOR_OPERATION, 'The floor is not empty.');
        return ok('Ok to delete this floor.');
      }
      await r.s.core.floors.remove(r.actor, num);
      return ok('Floor deleted.');
    },
  },
};
