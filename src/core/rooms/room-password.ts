// Room passwords (private-password rooms): stored as scrypt hashes, checked in constant time,
// throttled per account and room and per address like logins, and every wrong guess logged and
// audited so the room's aides can see who tries (rooms.passwordFailures).
import type { RoomRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import type { Audit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import { addressOf } from '../policy/hourly.ts';
import { hashPassword, verifyPassword } from '../users/password.ts';
import { AuthThrottle, type ThrottleOptions } from '../users/throttle.ts';

export const ROOM_PASSWORD_FAILED = 'room.password-failed';

/** A room password as stored: its scrypt hash. */
export async function hashRoomPassword(password: string): Promise<string> {
  if (password.length > 256) throw new CoreError('invalid', 'Room password too long.');
  return hashPassword(password);
}

export function createRoomPasswords(ctx: Ctx, deps: { audit: Audit; throttle: ThrottleOptions }) {
  const throttle = new AuthThrottle(deps.throttle);
  const keysOf = (actor: Actor, roomnum: number) => [`room:${roomnum}:${actor.kind === 'user' ? actor.usernum : actor.origin}`, `addr:${addressOf(actor.origin)}`];

  return {
    /**
     * Check a password for a room: bad-credentials when missing or wrong (logged, audited), limit
     * while this account or address is throttled for the room's passwords.
     */
    async check(actor: Actor, room: RoomRecord, password: string | undefined): Promise<void> {
      const keys = keysOf(actor, room.roomnum);
      const who = { user: actor.name, origin: actor.origin, room: room.name };
      const locked = () => {
        ctx.log.warn(who, 'refused: room password throttled');
        return new CoreError('limit', 'Too many wrong room passwords; try again later.');
      };
      if (keys.some((k) => throttle.isLocked(k))) throw locked();
      if (!password) throw new CoreError('bad-credentials', 'wrong or missing passwd');
      const release = await throttle.turn(keys);
      if (!release) throw locked();
      let tripped: string[];
      try {
        const isMatch = room.passwordHash !== undefined && (await verifyPassword(password, room.passwordHash));
        if (isMatch) {
          throttle.succeed(keys[0]!);
          return;
        }
        tripped = keys.filter((k) => throttle.fail(k));
      } finally {
        release();
      }
      ctx.log.warn(who, 'wrong room password');
      await deps.audit.record(actor, ROOM_PASSWORD_FAILED, room.name, { roomnum: room.roomnum, ...(tripped.length ? { throttled: true } : {}) });
      throw new CoreError('bad-credentials', 'wrong or missing passwd');
    },
  };
}

export type RoomPasswords = ReturnType<typeof createRoomPasswords>;
