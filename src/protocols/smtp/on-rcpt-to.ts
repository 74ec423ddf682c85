// RCPT TO (RFC 5321 §4.1.1.3): a local user, alias or room list address, else 550 at once;
// a non-local domain is relaying, allowed only on submission (authenticated), and only to an
// account that may mail the Internet and has room left this hour (refused here, not after DATA);
// a local user whose mailboxes are full is refused for now (452 4.2.2).
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { MAILBOX_FULL_NOW, REPLY, SmtpReply, toSmtpError } from './errors.ts';
import { actorOf, type SmtpCtx } from './context.ts';

export function onRcptTo(c: SmtpCtx) {
  return (address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    const refuse = (err: unknown) => {
      c.log.info({ cid: session.id, rcpt: address.address, user: actorOf(session)?.name, host: session.remoteAddress }, 'smtp: recipient refused');
      callback(toSmtpError(err, c.log, { 'over-quota': MAILBOX_FULL_NOW }));
    };
    try {
      const target = c.core.delivery.resolve(address.address);
      if (target.kind === 'remote' && c.mode !== 'submission') throw new SmtpReply(REPLY.refused, 'Relay access denied.');
      c.core.delivery.checkRoomFor(target);
      const actor = target.kind === 'remote' ? actorOf(session) : undefined;
      const allowed = actor ? c.core.sendPolicy.checkInternet(actor, 1, { isDryRun: true }) : Promise.resolve();
      allowed.then(() => {
        c.targets.set(address, target);
        callback();
      }, refuse);
    } catch (err) {
      refuse(err);
    }
  };
}
