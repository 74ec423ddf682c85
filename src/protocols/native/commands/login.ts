// Login and account commands (protocol/login.md): USER, PASS, NEWU, LOUT, SETP, GETU, SETU, CHEK.
import { isAide, isCoreError, type User } from '../../../core/index.ts';
import { ERR, errorCode } from '../codes.ts';
import { cleanLikeName, intField } from '../parser.ts';
import { fail, more, ok, type Reply } from '../reply.ts';
import { fieldValue } from '../render.ts';
import type { Session } from '../session.ts';
import type { CommandTable, UserActor } from './types.ts';

/** User flags a user may set (GETU/SETU); the others (1, 4, 1024, 4096) belong to the server. */
const USER_SETTABLE = 2 | 16 | 32 | 64 | 128 | 256 | 512 | 2048 | 8192 | 16384;

/** PASS/NEWU's reply: name|axlevel|timescalled|posted|flags|usernum|lastcall */
const loginFields = (u: User, previousCall: number) =>
  [fieldValue(u.name), u.level, u.timesCalled, u.posted, u.flags, u.usernum, previousCall].join('|');

/** Enter the logged-in phase in the base room. */
async function logIn(s: Session, u: User, previousCall: number): Promise<Reply> {
  const actor: UserActor = { kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin: s.origin };
  const { room } = await s.core.rooms.enter(actor, '_BASEROOM_');
  s.phase = { name: 'in-room', actor, roomnum: room.roomnum, roomName: room.name };
  s.failedPass = undefined;
  s.mailMark = s.core.rooms.mailbox(u.usernum, 'inbox').highest;
  s.presence.update({ usernum: u.usernum, name: u.name, room: room.name });
  s.log.info({ user: u.name }, 'logged in');
  return ok(loginFields(u, previousCall));
}

/** Leave the logged-in phase (LOUT, or an account deleted meanwhile). */
export function logOut(s: Session): void {
  const p = s.phase;
  s.phase = { name: 'anonymous' };
  s.chat = undefined;
  s.presence.update({ usernum: undefined, name: undefined, room: undefined, chatRoom: undefined });
  if (p.name === 'in-room' && !s.core.presence.isOnline(p.actor.usernum)) s.core.pages.clear(p.actor.usernum);
}

const wrongPassword = (s: Session, text: string): Reply => {
  const isLast = s.isOutOfAuthAttempts;
  return { kind: 'line', code: errorCode(ERR.PASSWORD_REQUIRED), text: isLast ? `${text} Too many failures; goodbye.` : text, ...(isLast ? { after: 'close' as const } : {}) };
};

export const loginCommands: CommandTable = {
  USER: {
    needs: 'none',
    summary: 'First login step: the user name (§USER)',
    run(s, c) {
      if (s.phase.name === 'in-room') fail(ERR.ALREADY_LOGGED_IN, 'Already logged in.');
      const name = c.rest.trim();
      if (!name) fail(ERR.USERNAME_REQUIRED, 'You must send a name.');
      const u = s.core.users.find(name);
      if (!u || u.level === 0) fail(ERR.NO_SUCH_USER, `${name} not found.`);
      s.phase = { name: 'user-given', userName: u.name };
      return more(`Password required for ${u.name}`);
    },
  },
  PASS: {
    needs: 'none',
    summary: 'Second login step: the password (§PASS)',
    async run(s, c) {
      const p = s.phase;
      if (p.name === 'in-room') fail(ERR.ALREADY_LOGGED_IN, 'Already logged in.');
      if (p.name !== 'user-given') fail(ERR.USERNAME_REQUIRED, 'You must send a name with USER first.');
      const password = c.rest;
      const f = s.failedPass;
      s.failedPass = undefined;
      // the stock client repeats a wrong PASS once, "cleaned" like a name: one attempt, not two
      if (f && f.userName === p.userName && (password === f.password || password === cleanLikeName(f.password))) {
        return wrongPassword(s, 'Wrong password.');
      }
      try {
        const { user, previousCall } = await s.core.users.authenticate({ name: p.userName, password, origin: s.origin });
        return await logIn(s, user, previousCall);
      } catch (err) {
        if (!isCoreError(err) || (err.kind !== 'bad-credentials' && err.kind !== 'limit')) throw err;
        s.countAuthFailure();
        if (err.kind === 'bad-credentials') s.failedPass = { userName: p.userName, password };
        return wrongPassword(s, err.message);
      }
    },
  },
  NEWU: {
    needs: 'none',
    summary: 'Create an account and log in (§NEWU)',
    errors: { 'not-found': ERR.NO_SUCH_USER },
    async run(s, c) {
      if (s.phase.name === 'in-room') fail(ERR.ALREADY_LOGGED_IN, 'Already logged in.');
      if (!s.core.registration.isOpen()) fail(ERR.NOT_HERE, 'Self-service user account creation is disabled on this system.');
      // until the client's SETP the account has a random password nobody knows
      const u = await s.core.registration.register(s.origin, c.rest.trim());
      return logIn(s, u, 0);
    },
  },
  LOUT: {
    needs: 'none',
    summary: 'Log out and stay connected (§LOUT)',
    run(s) {
      logOut(s);
      return ok('logged out.');
    },
  },
  SETP: {
    needs: 'room',
    summary: 'Set your password (§SETP)',
    async run({ s, actor }, c) {
      if (c.rest === '') return ok('Password unchanged.');
      await s.core.users.changePassword(actor, actor.usernum, c.rest);
      return ok('Password changed.');
    },
  },
  GETU: {
    needs: 'room',
    summary: 'Your preferences: width|height|flags| (§GETU)',
    run({ s, actor }) {
      return ok(`80|24|${s.core.users.getByNum(actor.usernum).flags}|`);
    },
  },
  SETU: {
    needs: 'room',
    summary: 'Set your preferences: width|height|flags (§SETU)',
    async run({ s, actor }, c) {
      const flags = intField(c.args, 2);
      if (c.args.length < 3 || flags === undefined) fail(ERR.ILLEGAL_VALUE, 'Usage error.');
      const cur = s.core.users.getByNum(actor.usernum).flags;
      await s.core.users.update(actor, actor.usernum, { flags: (cur & ~USER_SETTABLE) | (flags & USER_SETTABLE) });
      return ok('Ok');
    },
  },
  CHEK: {
    needs: 'room',
    summary: 'Login checks: newmail|needregis|needvalid|email| (§CHEK)',
    run({ s, actor }) {
      const inbox = s.core.rooms.mailbox(actor.usernum, 'inbox');
      const { unread } = s.core.rooms.counts(inbox.roomnum, s.core.visits.find(actor.usernum, inbox.roomnum));
      const needValid = isAide(actor) && s.core.users.unvalidated(actor).length > 0 ? 1 : 0;
      const email = s.core.users.getByNum(actor.usernum).addresses[0] ?? '';
      return ok(`${unread}|0|${needValid}|${fieldValue(email)}|`);
    },
  },
};
