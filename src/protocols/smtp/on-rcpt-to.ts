// RCPT TO (RFC 5321 §4.1.1.3): a local user, alias or room list address, else 550 at once;
// a non-local domain is relaying, allowed only on submission (authenticated).
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { REPLY, SmtpReply, toSmtpError } from './errors.ts';
import type { SmtpCtx } from './context.ts';

export function onRcptTo(c: SmtpCtx) {
  return (address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    try {
      const target = c.core.delivery.resolve(address.address);
      if (target.kind === 'remote' && c.mode !== 'submission') throw new SmtpReply(REPLY.refused, 'Relay access denied.');
      c.targets.set(address, target);
      callback();
    } catch (err) {
      c.log.info({ cid: session.id, rcpt: address.address }, 'smtp: recipient refused');
      callback(toSmtpError(err, c.log));
    }
  };
}
