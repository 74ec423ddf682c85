// TLS material for STARTTLS and implicit-TLS ports: the configured PEM files, or a self-signed
// certificate generated once into the data directory (so loopback and tests work out of the box),
// or one obtained over ACME (net/acme/). The certificate can be replaced while the server runs:
// every TLS handshake reads `context` when it starts, so a new connection gets the new certificate
// and a session already open keeps the one it agreed on.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';

export type CertificateSource = 'file' | 'self-signed' | 'acme';

export interface CertificateStatus {
  source: CertificateSource;
  names: string[];
  notAfter: string;
  daysLeft: number;
}

export class TlsMaterial {
  private onReplaceFns = new Set<() => void>();
  context: tls.SecureContext;

  constructor(public cert: Buffer, public key: Buffer, public source: CertificateSource) {
    this.context = tls.createSecureContext({ cert, key });
  }

  get isSelfSigned(): boolean {
    return this.source === 'self-signed';
  }

  /** Serve another certificate from the next handshake on; throws (and keeps the old one) if the pair is unusable. */
  replace(cert: Buffer, key: Buffer, source: CertificateSource): void {
    this.context = tls.createSecureContext({ cert, key });
    this.cert = cert;
    this.key = key;
    this.source = source;
    for (const fn of this.onReplaceFns) fn();
  }

  /** Called after each replace(), for servers that keep their own copy (smtp-server's contexts). */
  onReplace(fn: () => void): () => void {
    this.onReplaceFns.add(fn);
    return () => this.onReplaceFns.delete(fn);
  }

  /** What /healthz shows: where the certificate came from, the names it covers, when it expires. */
  status(now = Date.now()): CertificateStatus {
    const x = new X509Certificate(this.cert);
    const names = (x.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
    const notAfter = new Date(x.validTo);
    return { source: this.source, names, notAfter: notAfter.toISOString(), daysLeft: Math.floor((notAfter.getTime() - now) / 86_400_000) };
  }
}

export async function loadTls(opts: { cert?: string | undefined; key?: string | undefined; dataDir: string; names: string[] }): Promise<TlsMaterial> {
  if (opts.cert || opts.key) {
    if (!opts.cert || !opts.key) throw new Error('both KEEP_TLS_CERT and KEEP_TLS_KEY are needed');
    const read = (p: string, what: string) => {
      try {
        return readFileSync(p);
      } catch (err) {
        throw new Error(`cannot read TLS ${what} ${p}: ${(err as NodeJS.ErrnoException).code}`);
      }
    };
    const cert = read(opts.cert, 'certificate');
    const key = read(opts.key, 'key');
    return new TlsMaterial(cert, key, 'file');
  }
  const dir = join(opts.dataDir, 'tls');
  const certPath = join(dir, 'self-signed.crt');
  const keyPath = join(dir, 'self-signed.key');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    const notAfter = new Date();
    notAfter.setFullYear(notAfter.getFullYear() + 5);
    // imported only here: the library is a fifth of a worker's start-up and is needed once per data dir
    const { default: selfsigned } = await import('selfsigned');
    const altNames = [...opts.names, 'localhost'].map((value) => ({ type: 2 as const, value }));
    const pems = await selfsigned.generate([{ name: 'commonName', value: opts.names[0] ?? 'localhost' }], {
      keySize: 2048, algorithm: 'sha256', notAfterDate: notAfter,
      extensions: [{ name: 'subjectAltName', altNames: [...altNames, { type: 7, ip: '127.0.0.1' }] }],
    });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
    writeFileSync(certPath, pems.cert, { mode: 0o600 });
  }
  const cert = readFileSync(certPath);
  const key = readFileSync(keyPath);
  return new TlsMaterial(cert, key, 'self-signed');
}

/** Wrap an accepted plain socket as the server side of TLS (implicit TLS and STARTTLS). */
export function upgradeToTls(socket: import('node:net').Socket, material: TlsMaterial): tls.TLSSocket {
  return new tls.TLSSocket(socket, { isServer: true, secureContext: material.context });
}
