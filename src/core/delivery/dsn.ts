// Delivery status notifications (RFC 3464) for mail that could not be delivered, composed
// with nodemailer's MIME builder: multipart/report with a human part, message/delivery-status
// and the original message's header (text/rfc822-headers, RFC 6522), never by hand.
import MimeNode from 'nodemailer/lib/mime-node';
import { rfc5322Date } from '../mime/render.ts';
import { newMessageId } from '../mime/build.ts';

export interface DsnInput {
  /** our host name (Reporting-MTA) */
  domain: string;
  humanNode: string;
  /** the envelope sender the notification goes to */
  to: string;
  recipient: string;
  /** 'failed' for a permanent failure or expiry */
  action: 'failed' | 'delayed';
  /** enhanced status code, e.g. 5.1.1 */
  status: string;
  /** the remote server's reply, or our own reason */
  diagnostic: string;
  /** the remote host that answered, if any */
  remoteMta?: string;
  originalHeader: string;
  originalMessageId?: string;
  arrival: number;
  lastAttempt: number;
}

/** The enhanced status code a reply implies: the one it names, else one from its class. */
export function statusOf(diagnostic: string, isPermanent: boolean): string {
  const m = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(diagnostic);
  if (m) return `${m[1]}.${m[2]}.${m[3]}`;
  return isPermanent ? '5.0.0' : '4.0.0';
}

export async function composeDsn(d: DsnInput): Promise<Buffer> {
  const root = new MimeNode('multipart/report; report-type=delivery-status', { newline: 'win', hostname: d.domain, disableFileAccess: true, disableUrlAccess: true });
  root.setHeader({
    From: `"Mail Delivery System" <MAILER-DAEMON@${d.domain}>`,
    To: d.to,
    Subject: d.action === 'failed' ? `Undelivered Mail Returned to Sender: ${d.recipient}` : `Delayed Mail: ${d.recipient}`,
    'Auto-Submitted': 'auto-replied',
    Date: rfc5322Date(d.lastAttempt),
    // set here, in Keep's one format, so nodemailer does not make one of its own
    'Message-ID': newMessageId(d.domain, d.lastAttempt),
    ...(d.originalMessageId ? { 'In-Reply-To': d.originalMessageId, References: d.originalMessageId } : {}),
  });
  const human = d.action === 'failed'
    ? `This is the mail system at ${d.domain} (${d.humanNode}).\r\n\r\nYour message could not be delivered to <${d.recipient}>; it will not be tried again.\r\n\r\nReason: ${d.diagnostic}\r\n`
    : `This is the mail system at ${d.domain} (${d.humanNode}).\r\n\r\nYour message to <${d.recipient}> has not been delivered yet; it will be tried again.\r\n\r\nReason: ${d.diagnostic}\r\n`;
  root.createChild('text/plain; charset=utf-8').setContent(human);
  const perMessage = [`Reporting-MTA: dns; ${d.domain}`, `Arrival-Date: ${rfc5322Date(d.arrival)}`];
  const perRecipient = [
    `Final-Recipient: rfc822; ${d.recipient}`,
    `Action: ${d.action}`,
    `Status: ${d.status}`,
    ...(d.remoteMta ? [`Remote-MTA: dns; ${d.remoteMta}`] : []),
    `Diagnostic-Code: smtp; ${oneLine(d.diagnostic)}`,
    `Last-Attempt-Date: ${rfc5322Date(d.lastAttempt)}`,
  ];
  root.createChild('message/delivery-status').setContent(`${perMessage.join('\r\n')}\r\n\r\n${perRecipient.join('\r\n')}\r\n`);
  root.createChild('text/rfc822-headers').setContent(d.originalHeader);
  return root.build();
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 900);
