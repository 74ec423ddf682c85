// User administration for aides (protocol/admin.md): CREU, AGUP, ASUP, GNUR, VALI, GREG;
// message administration: DELE, MOVE. Core checks access and writes the audit entries.
import { isAide, type User } from '../../../core/index.ts';
import { ERR } from '../codes.ts';
import { field, intField } from '../parser.ts';
import { fail, listing, more, ok } from '../reply.ts';
import { fieldValue } from '../render.ts';
import type { CommandTable, InRoom } from './types.ts';

/** Users other than oneself are an aide's business (core's lookups do not check this). */
function targetUser({ s, actor }: InRoom, name: string): User {
  const n = name.trim();
  if (n === '' || n === '_SELF_' || n.toLowerCase() === actor.name.toLowerCase()) return s.core.users.getByNum(actor.usernum);
  if (!isAide(actor)) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required.');
  return s.core.users.get(n);
}

export const adminUserCommands: CommandTable = {
  CREU: {
    needs: 'room',
    summary: 'Create a user (aides): name|password (§CREU)',
    async run({ s, actor }, c) {
      const u = await s.core.users.create(actor, { name: field(c.args, 0), password: field(c.args, 1) });
      return ok(`User '${fieldValue(u.name)}' created.`);
    },
  },
  AGUP: {
    needs: 'room',
    summary: 'Get a user (aides): name|password|flags|calls|posted|level|usernum|lastcall|purgedays (§AGUP)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    run(r, c) {
      if (!isAide(r.actor)) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required.');
      const u = targetUser(r, c.rest);
      // passwords are stored hashed: the password field is always empty
      return ok([fieldValue(u.name), '', u.flags, u.timesCalled, u.posted, u.level, u.usernum, u.lastCall, 0].join('|'));
    },
  },
  ASUP: {
    needs: 'room',
    summary: 'Set a user (aides): the AGUP fields; empty password keeps it (§ASUP)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    async run(r, c) {
      if (!isAide(r.actor)) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required.');
      const u = targetUser(r, field(c.args, 0));
      const password = field(c.args, 1);
      const flags = intField(c.args, 2);
      const level = intField(c.args, 5);
      if (password) await r.s.core.users.changePassword(r.actor, u.usernum, password);
      if (flags !== undefined && flags !== u.flags) await r.s.core.users.update(r.actor, u.usernum, { flags });
      if (level !== undefined && level !== u.level) await r.s.core.users.setLevel(r.actor, u.usernum, level);
      return ok('Ok');
    },
  },
  GNUR: {
    needs: 'room',
    summary: 'Next user awaiting validation (aides): 3xx name, 2xx none (§GNUR)',
    run({ s, actor }) {
      const next = s.core.users.unvalidated(actor)[0];
      return next ? more(fieldValue(next.name)) : ok('No users require validation.');
    },
  },
  VALI: {
    needs: 'room',
    summary: 'Validate a user at an access level (aides): name|level (§VALI)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    async run(r, c) {
      const level = intField(c.args, 1);
      if (level === undefined) fail(ERR.ILLEGAL_VALUE, 'Usage: VALI name|level');
      const u = targetUser(r, field(c.args, 0));
      const v = await r.s.core.users.setLevel(r.actor, u.usernum, level);
      return ok(`${fieldValue(v.name)} is now level ${v.level}.`);
    },
  },
  GREG: {
    needs: 'room',
    summary: 'Registration of a user: _SELF_ or a name (aides) (§GREG)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    run(r, c) {
      const u = targetUser(r, c.rest);
      // 0 usernum, 1 password (never sent), 2 real name, 3-7 address and phone, 8 level, 9 email, 10 country
      return listing(fieldValue(u.name), [String(u.usernum), '', u.name, '', '', '', '', '', String(u.level), u.addresses[0] ?? '', '']);
    },
  },
  QDIR: {
    needs: 'room',
    summary: 'Who has this Internet address: 200 user @ node, or 570 (§QDIR)',
    run({ s }, c) {
      const u = s.core.users.findByAddress(c.rest.trim());
      if (!u || u.level === 0) fail(ERR.NO_SUCH_USER, `${c.rest.trim()} is not in the directory.`);
      return ok(`${fieldValue(u.name)} @ ${s.config.nodeName}`);
    },
  },
  DELE: {
    needs: 'room',
    summary: 'Delete a message from the current room: num (§DELE)',
    errors: { 'not-found': ERR.MESSAGE_NOT_FOUND },
    async run({ s, actor, roomnum }, c) {
      const n = intField(c.args, 0);
      if (n === undefined || n <= 0) fail(ERR.ILLEGAL_VALUE, 'A message number is required.');
      s.core.messages.get(actor, n, roomnum);
      const removed = await s.core.messages.removeFromRoom(actor, roomnum, [n]);
      if (removed === 0) fail(ERR.MESSAGE_NOT_FOUND, `Message ${n} was not found in this room.`);
      return ok(`Message ${n} deleted.`);
    },
  },
  MOVE: {
    needs: 'room',
    summary: 'Move (0) or copy (1) a message to another room: num|room|copy (§MOVE)',
    errors: { 'not-found': ERR.ROOM_NOT_FOUND },
    async run({ s, actor, roomnum }, c) {
      const n = intField(c.args, 0);
      if (n === undefined || n <= 0) fail(ERR.ILLEGAL_VALUE, 'A message number is required.');
      const isCopy = intField(c.args, 2) === 1;
      const to = s.core.rooms.findByName(actor, field(c.args, 1));
      if (!to) fail(ERR.ROOM_NOT_FOUND, `room '${field(c.args, 1)}' not found`);
      if (!s.core.messages.list(actor, roomnum, { kind: 'all' }).includes(n)) fail(ERR.MESSAGE_NOT_FOUND, `Message ${n} was not found in this room.`);
      await s.core.messages.copy(actor, roomnum, to.roomnum, [n], { isMove: !isCopy });
      return ok(`Message ${n} ${isCopy ? 'copied' : 'moved'}.`);
    },
  },
};
