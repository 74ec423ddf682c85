// ACME against Let's Encrypt's test server (Debian's pebble) on loopback: Keep obtains a
// certificate over HTTP-01, serves it on IMAP, SMTP STARTTLS and NNTPS, renews it when a third of
// its short life is left, and serves the new one to new connections while an IMAP IDLE session
// opened before stays up (issue 21).
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { freePort, hasPebble, startPebble, type Pebble } from '../../helpers/pebble.ts';

if (!hasPebble) console.warn('SKIPPED: pebble is not installed (apt-get install pebble); ACME is not tested');

const NAME = 'mail.keep.test';
const VALIDITY = 45; // seconds: renewal falls due with a third of it (15 s) left

/** Read CRLF lines from a socket as they come. */
function lines(socket: net.Socket | tls.TLSSocket) {
  let buf = '';
  const waiting: { pred: (l: string) => boolean; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const seen: string[] = [];
  socket.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    for (let i; (i = buf.indexOf('\r\n')) >= 0; buf = buf.slice(i + 2)) {
      const line = buf.slice(0, i);
      const w = waiting.findIndex((x) => x.pred(line));
      if (w >= 0) waiting.splice(w, 1)[0]!.resolve(line);
      else seen.push(line);
    }
  });
  return {
    next(pred: (l: string) => boolean, timeoutMs = 20_000): Promise<string> {
      const i = seen.findIndex(pred);
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching line in time')), timeoutMs);
        waiting.push({ pred, resolve: (l) => { clearTimeout(timer); resolve(l); }, reject });
      });
    },
  };
}

/** Connect over TLS, trusting only pebble's root; resolves with the certificate served. */
function tlsPeer(port: number, ca: string, socket?: net.Socket): Promise<{ socket: tls.TLSSocket; cert: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: NAME, ca, ...(socket ? { socket } : {}) }, () => {
      resolve({ socket: s, cert: new X509Certificate(s.getPeerCertificate().raw) });
    });
    s.once('error', reject);
  });
}

async function smtpStarttlsCert(port: number, ca: string): Promise<X509Certificate> {
  const plain = net.connect({ host: '127.0.0.1', port });
  const l = lines(plain);
  await l.next((x) => x.startsWith('220 '));
  plain.write('EHLO client.test\r\n');
  await l.next((x) => x.startsWith('250 '));
  plain.write('STARTTLS\r\n');
  await l.next((x) => x.startsWith('220 '));
  plain.removeAllListeners('data');
  const { socket, cert } = await tlsPeer(port, ca, plain);
  socket.destroy();
  return cert;
}

describe.skipIf(!hasPebble)('ACME with pebble', () => {
  let pebble: Pebble;
  let keep: Keep;
  let root: string;
  beforeAll(async () => {
    const httpPort = await freePort();
    pebble = await startPebble({ httpPort, validitySeconds: VALIDITY });
    keep = await startKeep({
      env: {
        KEEP_HTTP_PORT: String(httpPort), KEEP_HTTPS_PORT: '0', KEEP_ACME: 'true', KEEP_ACME_DIRECTORY: pebble.directoryUrl, KEEP_ACME_EMAIL: 'admin@keep.test',
        KEEP_TLS_NAME_PREFIXES: 'mail', NODE_EXTRA_CA_CERTS: pebble.apiCaFile,
      },
    });
    await keep.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('ACME: certificate for'), 40_000);
    root = await pebble.issuingRoot();
  }, 90_000);
  afterAll(async () => {
    await keep?.stop();
    await pebble?.stop();
  });

  it('serves the certificate it obtained on IMAP, SMTP STARTTLS, NNTPS and HTTPS, trusted through pebble\'s root', async () => {
    const imap = await tlsPeer(keep.ports['imap-tls'], root);
    imap.socket.destroy();
    expect(imap.cert.checkHost(NAME)).toBe(NAME);
    expect(imap.cert.checkHost('keep.test')).toBe('keep.test');
    expect((await smtpStarttlsCert(keep.ports.smtp, root)).fingerprint256).toBe(imap.cert.fingerprint256);
    const nntps = await tlsPeer(keep.ports.nntps, root);
    nntps.socket.destroy();
    expect(nntps.cert.fingerprint256).toBe(imap.cert.fingerprint256);
    // the web listener over TLS (KEEP_HTTPS_PORT) serves the same certificate
    const https = (keep.ports as unknown as Record<string, number | undefined>).https;
    expect(https).toBeDefined();
    const web = await tlsPeer(https!, root);
    web.socket.destroy();
    expect(web.cert.fingerprint256).toBe(imap.cert.fingerprint256);
  });

  it('keeps its keys private and shows the expiry in /healthz', async () => {
    const { statSync } = await import('node:fs');
    for (const f of ['account.key', 'key.pem', 'cert.pem']) expect(statSync(`${keep.dataDir}/acme/${f}`).mode & 0o777).toBe(0o600);
    const health = (await (await fetch(`http://127.0.0.1:${keep.ports.http}/healthz`)).json()) as { status: string; certificate: { source: string; notAfter: string; names: string[]; acme: { directory: string } } };
    expect(health.certificate.source).toBe('acme');
    expect(health.certificate.names).toEqual(expect.arrayContaining(['keep.test', NAME]));
    expect(Date.parse(health.certificate.notAfter)).toBeGreaterThan(Date.now());
    expect(health.certificate.acme.directory).toBe(pebble.directoryUrl);
    // a certificate with less than two weeks left is a warning sign: pebble's lives 45 s
    expect(health.status).toBe('degraded');
  });

  it('renews when due and serves the new certificate to new connections while an IDLE session stays up', async () => {
    const first = await tlsPeer(keep.ports['imap-tls'], root);
    const before = first.cert.fingerprint256;
    const idle = lines(first.socket);
    await idle.next((l) => l.startsWith('* OK'));
    first.socket.write(`a LOGIN ${keep.adminUser} ${keep.adminPassword}\r\n`);
    await idle.next((l) => l.startsWith('a OK'));
    first.socket.write('b SELECT INBOX\r\n');
    await idle.next((l) => l.startsWith('b OK'));
    first.socket.write('c IDLE\r\n');
    await idle.next((l) => l.startsWith('+ '));
    const obtained = keep.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('ACME: certificate for')).length;
    await keep.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('ACME: certificate for') && keep.logs.filter((x) => typeof x.msg === 'string' && x.msg.startsWith('ACME: certificate for')).indexOf(l) >= obtained, 60_000);
    const after = await tlsPeer(keep.ports['imap-tls'], root);
    after.socket.destroy();
    expect(after.cert.fingerprint256).not.toBe(before);
    expect((await smtpStarttlsCert(keep.ports.smtp, root)).fingerprint256).toBe(after.cert.fingerprint256);
    const web = await tlsPeer((keep.ports as unknown as Record<string, number>).https!, root);
    web.socket.destroy();
    expect(web.cert.fingerprint256).toBe(after.cert.fingerprint256);
    // the session opened before the swap still works: a new mail reaches it while it idles
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.smtp, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'someone@example.net', to: `${keep.adminUser}@keep.test`, subject: 'after renewal', text: 'hi' });
    transport.close();
    await idle.next((l) => / EXISTS$/.test(l));
    first.socket.write('DONE\r\n');
    await idle.next((l) => l.startsWith('c OK'));
    first.socket.destroy();
  }, 90_000);
});

describe('ACME when the CA refuses', () => {
  let keep: Keep;
  // not a CA: every request is answered 404, an error no retry fixes
  const notACa = http.createServer((_req, res) => { res.writeHead(404); res.end('no such directory\n'); });
  beforeAll(async () => {
    await new Promise<void>((r) => notACa.listen(0, '127.0.0.1', r));
    const { port } = notACa.address() as net.AddressInfo;
    keep = await startKeep({ env: { KEEP_ACME: 'true', KEEP_ACME_DIRECTORY: `http://127.0.0.1:${port}/dir` } });
  }, 60_000);
  afterAll(async () => {
    await keep?.stop();
    notACa.close();
  });

  it('logs an error, keeps serving the certificate it has, and retries with backoff', async () => {
    const failed = await keep.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('ACME: could not obtain a certificate'), 30_000);
    expect(failed.level).toBe(50); // error
    const health = (await (await fetch(`http://127.0.0.1:${keep.ports.http}/healthz`)).json()) as { certificate: { source: string; acme: { failures: number; lastError: string; nextAttempt: string } } };
    expect(health.certificate.source).toBe('self-signed');
    expect(health.certificate.acme.failures).toBeGreaterThanOrEqual(1);
    expect(health.certificate.acme.lastError).toBeTruthy();
    expect(Date.parse(health.certificate.acme.nextAttempt)).toBeGreaterThan(Date.now());
  });
});
