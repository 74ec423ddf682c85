// The MX side of the inbound checks (core/mail-auth/inbound.ts): run them on a received message,
// turn a refusal into the SMTP reply (550 5.7.1, or 451 4.7.5 when DNS failed us), and give back
// the bytes to store: our Authentication-Results on top, any claiming our authserv-id removed.
import type { SMTPServerSession } from 'smtp-server';
import { stripOwnAuthResults } from '../../core/mail-auth/inbound.ts';
import { REPLY, SmtpReply } from './errors.ts';
import type { SmtpCtx } from './context.ts';

export async function checkInbound(c: SmtpCtx, session: SMTPServerSession, body: Buffer): Promise<{ header: Buffer; body: Buffer; isJunk: boolean }> {
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const verdict = await c.inboundAuth.check({ raw: body, ip: session.remoteAddress, helo: session.hostNameAppearsAs || '', sender });
  c.metrics.inc('keep_smtp_inbound_auth_total', 'MX messages by inbound check verdict', { action: verdict.action });
  const tags = { cid: session.id, sender, ...verdict.results, action: verdict.action };
  if (verdict.action === 'reject') {
    c.log.info({ ...tags, reason: verdict.reason }, 'smtp: refused by inbound checks');
    throw new SmtpReply(REPLY.refused, verdict.reason ?? '5.7.1 Refused by policy.');
  }
  if (verdict.action === 'tempfail') {
    c.log.info({ ...tags, reason: verdict.reason }, 'smtp: deferred by inbound checks');
    throw new SmtpReply(REPLY.localError, verdict.reason ?? '4.7.5 Cannot check this message now; try again later.');
  }
  if (verdict.action === 'junk') c.log.info({ ...tags, reason: verdict.reason }, 'smtp: quarantined to Junk');
  else c.log.debug(tags, 'smtp: inbound checks');
  return { header: Buffer.from(verdict.header, 'latin1'), body: stripOwnAuthResults(body, c.config.domain), isJunk: verdict.action === 'junk' };
}
