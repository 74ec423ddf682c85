// DATA (RFC 5321 §4.1.1.4): collect the message smtp-server has un-dot-stuffed and size-checked,
// add our Received: header, hand it to core, and answer 250 only after core's durable commit.
// A client that drops mid-DATA never reaches core, so nothing is half-stored.
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { systemActor, type Recipient } from '../../core/index.ts';
import { POLICY_REFUSED, REPLY, SmtpReply, toSmtpError } from './errors.ts';
import { actorOf, type SmtpCtx } from './context.ts';
import { hasOverlongLine, receivedHeader, startsWithHeader } from './received.ts';
import { checkInbound } from './inbound-auth.ts';

type Callback = (err?: Error | null, message?: string) => void;

export function onData(c: SmtpCtx) {
  return (stream: SMTPServerDataStream, session: SMTPServerSession, callback: Callback): void => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // the client went away mid-message: smtp-server destroys the stream, 'end' never comes
    stream.once('error', (err: Error) => c.log.info({ cid: session.id, err: err.message }, 'smtp: message not received in full; nothing stored'));
    stream.once('end', () => {
      const work = store(c, session, stream, Buffer.concat(chunks));
      c.inFlight.add(work);
      work.then(
        (msgnum) => callback(null, `OK: message stored as ${msgnum}`),
        // a message refused by policy (a From that is not the sender's) is 550 5.7.1
        (err: unknown) => callback(toSmtpError(err, c.log, { forbidden: POLICY_REFUSED })),
      ).finally(() => c.inFlight.delete(work));
    });
  };
}

async function store(c: SmtpCtx, session: SMTPServerSession, stream: SMTPServerDataStream, body: Buffer): Promise<number> {
  // over the SIZE limit: smtp-server answers 552 itself (rejectOversized); store nothing
  if (stream.sizeExceeded) throw new SmtpReply(REPLY.tooBig, 'Message exceeds the size limit.');
  if (hasOverlongLine(body)) throw new SmtpReply(REPLY.transactionFailed, 'Message has a line longer than 998 octets (RFC 5322 2.1.1).');
  const rcpts = session.envelope.rcptTo;
  const recipients = rcpts.map((a) => c.targets.get(a)).filter((r): r is Recipient => r !== undefined);
  if (recipients.length !== rcpts.length) throw new Error('smtp: a recipient was not resolved at RCPT time');
  const trace = receivedHeader({
    // no reverse lookup is done (disableReverseLookup): smtp-server then gives the [ip] literal
    helo: session.hostNameAppearsAs || 'unknown', clientHostname: session.clientHostname && !session.clientHostname.startsWith('[') ? session.clientHostname : 'unknown',
    remoteAddress: session.remoteAddress, by: c.config.domain, protocol: session.transmissionType || 'ESMTP', id: session.id,
    ...(rcpts.length === 1 ? { recipient: rcpts[0]!.address } : {}), date: new Date(),
  });
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const blank = startsWithHeader(body) ? [] : [Buffer.from('\r\n')];
  if (c.mode === 'mx') {
    const checked = await checkInbound(c, session, body);
    const raw = Buffer.concat([Buffer.from(trace, 'latin1'), checked.header, ...blank, checked.body]);
    const msg = await c.core.delivery.inbound(systemActor('smtp'), { raw, sender, recipients, isJunk: checked.isJunk });
    c.metrics.inc('keep_smtp_messages_total', 'messages accepted over SMTP', { listener: 'smtp' });
    // a room's list address may have Internet subscribers: their copies are queued now
    if (recipients.some((r) => r.kind === 'room')) c.kickOutbound();
    return msg.msgnum;
  }
  const actor = actorOf(session);
  if (!actor) throw new SmtpReply(REPLY.notLoggedIn, 'Authentication required.');
  const raw = Buffer.concat([Buffer.from(trace, 'latin1'), ...blank, body]);
  const msg = await c.core.delivery.submit(actor, { raw, sender, recipients }, { saveSent: c.config.submissionSaveSent });
  c.metrics.inc('keep_smtp_messages_total', 'messages accepted over SMTP', { listener: 'submission' });
  if (recipients.some((r) => r.kind === 'remote' || r.kind === 'room')) c.kickOutbound();
  c.log.info({ cid: session.id, user: actor.name, msgnum: msg.msgnum, rcpts: recipients.length }, 'smtp: message submitted');
  return msg.msgnum;
}
