// Doctor: the certificate each TLS listener presents covers every name clients use and is not
// near expiry (ACME renews 30 days ahead; health turns degraded 14 days ahead).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopback } from '../../net/loopback.ts';
import { certificateNames } from '../../net/tls-names.ts';
import type { ListenerAnswer } from './listeners.ts';
import { result, type CheckResult, type DoctorContext } from './types.ts';

const DAY = 24 * 3600 * 1000;
export const WARN_DAYS = 30;
export const FAIL_DAYS = 14;

/** One certificate's verdict against the names it must cover, at `now`. */
export function judgeCertificate(cert: X509Certificate, opts: { names: string[]; now: number; isLoopback: boolean }): { status: CheckResult['status']; detail: string } {
  const notAfter = new Date(cert.validTo).getTime();
  const notBefore = new Date(cert.validFrom).getTime();
  const days = Math.floor((notAfter - opts.now) / DAY);
  const until = `until ${new Date(notAfter).toISOString().slice(0, 10)}`;
  if (notAfter <= opts.now) return { status: 'fail', detail: `expired on ${new Date(notAfter).toISOString().slice(0, 10)}` };
  if (notBefore > opts.now) return { status: 'fail', detail: `not valid before ${new Date(notBefore).toISOString()}` };
  const missing = opts.names.filter((n) => cert.checkHost(n) === undefined);
  if (missing.length) return { status: 'fail', detail: `does not cover ${missing.join(', ')} (covers ${cert.subjectAltName ?? cert.subject})` };
  if (days < FAIL_DAYS) return { status: 'fail', detail: `expires in ${days} days (${until})` };
  if (days < WARN_DAYS) return { status: 'warn', detail: `expires in ${days} days (${until}); renew it` };
  const isSelfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  if (isSelfSigned && !opts.isLoopback) return { status: 'warn', detail: `self-signed: clients will not trust it (KEEP_ACME=true, or KEEP_TLS_CERT/KEEP_TLS_KEY); valid ${until}` };
  return { status: 'ok', detail: `valid for ${opts.names.join(', ')} ${until} (${days} days)${isSelfSigned ? ', self-signed (loopback only)' : `, issued by ${cert.issuer.split('\n').find((l) => l.startsWith('CN=')) ?? cert.issuer}`}` };
}

function fileCertificate(ctx: DoctorContext): { path: string; cert: X509Certificate } | undefined {
  const { config } = ctx;
  const path = config.acme ? join(config.dataDir, 'acme', 'cert.pem') : config.tlsCert ?? join(config.dataDir, 'tls', 'self-signed.crt');
  try {
    return { path, cert: new X509Certificate(readFileSync(path)) };
  } catch {
    return undefined;
  }
}

/** Judge what the TLS listeners served; when none answered, the certificate file Keep would load. */
export async function checkCertificates(ctx: DoctorContext, answers: ListenerAnswer[]): Promise<CheckResult[]> {
  const opts = { names: certificateNames(ctx.config), now: Date.now(), isLoopback: isLoopback(ctx.config.bind) };
  const served = answers.filter((a) => a.answer?.certificate?.raw);
  if (served.length) {
    return served.map((a) => {
      const v = judgeCertificate(new X509Certificate(a.answer!.certificate!.raw), opts);
      return result(`certificate ${a.name}`, v.status, `served on port ${a.port}: ${v.detail}`);
    });
  }
  const file = fileCertificate(ctx);
  if (!file) return [result('certificate', 'warn', `no TLS listener answered and no certificate file to read (${ctx.config.acme ? 'ACME has not obtained one yet' : 'one is made on first start'})`)];
  const v = judgeCertificate(file.cert, opts);
  return [result('certificate', v.status, `${file.path}: ${v.detail}`)];
}
