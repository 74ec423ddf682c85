// Who may reach outside or strangers: sending to Internet addresses needs an access level
// (KEEP_INTERNET_MAIL_LEVEL, default 4 "network user", as in Citadel) and stays within an hourly
// count of Internet recipients per account (KEEP_SEND_PER_HOUR); problem users (level 2) never
// relay. Unvalidated accounts page, or open direct chats with, aides only. The level is read
// from the store on every check, so a validation applies to sessions already open.
import { LEVEL, systemActor, type Actor } from '../actor.ts';
import type { Audit } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { User } from '../users/users.ts';
import { HourlyCounter, TripLog } from './hourly.ts';

export interface SendPolicyDeps {
  audit: Audit;
  users: { getByNum(usernum: number): User };
}

/** May a user at this level write to strangers (pages, direct chats)? */
export const mayContactStrangers = (level: number): boolean => level >= LEVEL.local;

export function createSendPolicy(ctx: Ctx, deps: SendPolicyDeps) {
  const needed = ctx.settings.internetMailLevel ?? LEVEL.network;
  const perHour = ctx.settings.sendPerHour ?? 200;
  const sent = new HourlyCounter(perHour, ctx.store, 'internet-recipients');
  const tripped = new TripLog();

  return {
    /**
     * Check, and count, `recipients` Internet recipients for the actor: forbidden below the
     * needed level or for a problem user; limit past the hourly count (audited once per hour).
     * The system (bounces, the queue) is never limited. A dry run (a client asking before it sends
     * the text, native ENT0) checks without counting.
     */
    async checkInternet(actor: Actor, recipients: number, opts: { isDryRun?: boolean } = {}): Promise<void> {
      if (actor.kind !== 'user' || recipients === 0) return;
      const level = deps.users.getByNum(actor.usernum).level;
      if (level < needed || level === LEVEL.problem) {
        ctx.log.warn({ user: actor.name, origin: actor.origin, level, recipients }, 'refused: Internet mail needs a higher access level');
        throw new CoreError('forbidden', level === LEVEL.new
          ? 'Your account must be validated before it can send mail to Internet addresses.'
          : 'Higher access required to send mail to Internet addresses.');
      }
      const key = String(actor.usernum);
      if (!sent.allows(key, recipients)) {
        ctx.log.warn({ user: actor.name, origin: actor.origin, recipients, perHour }, 'refused: hourly Internet mail limit reached');
        await tripped.note(key, () => deps.audit.record(systemActor(actor.origin), 'send.throttled', actor.name, { perHour, recipients }));
        throw new CoreError('limit', `You have sent mail to ${perHour} Internet recipients in the last hour; try again later.`);
      }
      if (!opts.isDryRun) await sent.add(key, recipients);
    },

    /** Refuses (forbidden) an unvalidated or problem user writing to anyone but an aide. */
    checkStranger(actor: Actor, target: User): void {
      if (actor.kind !== 'user' || target.level >= LEVEL.aide) return;
      const level = deps.users.getByNum(actor.usernum).level;
      if (mayContactStrangers(level)) return;
      ctx.log.warn({ user: actor.name, origin: actor.origin, to: target.name }, 'refused: unvalidated account writing to a stranger');
      throw new CoreError('forbidden', 'Your account must be validated before it can page other users.');
    },
  };
}

export type SendPolicy = ReturnType<typeof createSendPolicy>;
