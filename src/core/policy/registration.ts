// Self-registration (native NEWU): the site's policy (KEEP_REGISTRATION open | validate |
// closed) and a per-address hourly limit, so one visitor cannot mint accounts in bulk.
// With validate a new account starts at level 1: it may read and post in public rooms, but
// sends no Internet mail and pages only aides until an aide validates it (VALI, keepd user set-level).
import { randomBytes } from 'node:crypto';
import { LEVEL, systemActor } from '../actor.ts';
import type { AccessLevel } from '../../store/index.ts';
import type { Audit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { User, Users } from '../users/users.ts';
import { addressOf, HourlyCounter, TripLog } from './hourly.ts';

export function createRegistration(ctx: Ctx, deps: { audit: Audit; users: Users }) {
  const mode = ctx.settings.registration ?? 'validate';
  const perAddress = new HourlyCounter(ctx.settings.registrationPerHour ?? 3, ctx.store, 'registrations');
  const tripped = new TripLog();
  /** registrations under way per address: counted too, or many sent at once would all pass the check */
  const inFlight = new Map<string, number>();

  return {
    /** May visitors create their own accounts here? */
    isOpen(): boolean {
      return mode !== 'closed';
    },

    /**
     * Create an account for a visitor from `origin`, with a random password nobody knows until
     * the client sets one. Refused (forbidden) when registration is closed, and (limit) past the
     * per-address limit, which is audited once per hour and address. Durable and audited on resolve.
     */
    async register(origin: string, name: string): Promise<User> {
      const address = addressOf(origin);
      if (mode === 'closed') {
        ctx.log.warn({ origin, name }, 'refused: self-registration is closed');
        throw new CoreError('forbidden', 'Self-service user account creation is disabled on this system.');
      }
      const pending = inFlight.get(address) ?? 0;
      if (!perAddress.allows(address, pending + 1)) {
        ctx.log.warn({ origin, name }, 'refused: too many registrations from this address');
        await tripped.note(address, () => deps.audit.record(systemActor(origin), 'registration.throttled', address, { name }));
        throw new CoreError('limit', 'Too many new accounts from your address; try again later.');
      }
      const password = randomBytes(24).toString('base64url');
      const level = (mode === 'validate' ? LEVEL.new : ctx.settings.newUserLevel) as AccessLevel;
      inFlight.set(address, pending + 1);
      try {
        const user = await deps.users.create(systemActor(origin), { name, password, level });
        // only accounts made count: a taken or invalid name costs nothing
        await perAddress.add(address);
        return user;
      } finally {
        const left = (inFlight.get(address) ?? 1) - 1;
        if (left > 0) inFlight.set(address, left);
        else inFlight.delete(address);
      }
    },
  };
}

export type Registration = ReturnType<typeof createRegistration>;
