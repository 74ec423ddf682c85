// AUTH PLAIN and LOGIN (RFC 4954) against Keep users, submission only. TLS is required except
// from loopback when KEEP_CLEARTEXT_AUTH_ON_LOOPBACK allows it; failures are throttled in core.
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { REPLY, SmtpReply, toSmtpError } from './errors.ts';
import { mayAuthenticateInClear } from '../../net/loopback.ts';
import type { SessionUser, SmtpCtx } from './context.ts';

type Callback = (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

export function onAuth(c: SmtpCtx) {
  const failures = new WeakMap<SMTPServerSession, number>();
  return (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: Callback): void => {
    authenticate(c, auth, session).then(
      (user) => callback(null, { user }),
      (err: unknown) => {
        const reply = toSmtpError(err, c.log, { limit: REPLY.authUnavailable });
        const n = (failures.get(session) ?? 0) + 1;
        failures.set(session, n);
        // enough tries on one connection: say goodbye (smtp-server closes after a 421)
        if (n >= c.config.authFailureLimit) return callback(new SmtpReply(REPLY.closing, `${reply.message} Too many failures; closing.`));
        callback(reply);
      },
    );
  };
}

async function authenticate(c: SmtpCtx, auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<SessionUser> {
  if (!session.secure && !mayAuthenticateInClear(session.remoteAddress, c.config)) throw new SmtpReply(REPLY.encryptionRequired, 'Must issue a STARTTLS command first.');
  if (auth.method !== 'PLAIN' && auth.method !== 'LOGIN') throw new SmtpReply(504, 'Unrecognized authentication type.');
  const { user } = await c.core.users.authenticate({ name: auth.username ?? '', password: auth.password ?? '', origin: `smtp:${session.remoteAddress}` });
  c.log.info({ user: user.name, cid: session.id }, 'smtp: authenticated');
  return { usernum: user.usernum, name: user.name, level: user.level };
}
