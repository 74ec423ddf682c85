// MAIL FROM (RFC 5321 §4.1.1.2): on submission the envelope sender must be one of the user's
// addresses; on the MX any well-formed sender, or the null sender <> for bounces.
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { toSmtpError } from './errors.ts';
import { actorOf, type SmtpCtx } from './context.ts';

export function onMailFrom(c: SmtpCtx) {
  return (address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    try {
      if (c.mode === 'submission') {
        // smtp-server already refused MAIL without AUTH (authOptional is off on this listener)
        c.core.delivery.checkSender(actorOf(session) ?? { kind: 'system', name: 'anonymous', origin: 'smtp' }, address.address);
      } else if (address.address !== '') {
        c.core.delivery.recipients.check(address.address);
      }
      callback();
    } catch (err) {
      callback(toSmtpError(err, c.log));
    }
  };
}
