// TLS material for STARTTLS and implicit-TLS ports: the configured PEM files, or a self-signed
// certificate generated once into the data directory (so loopback and tests work out of the box).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  context: tls.SecureContext;
  isSelfSigned: boolean;
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
    return { cert, key, context: tls.createSecureContext({ cert, key }), isSelfSigned: false };
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
    mkdirSync(dir, { recursive: true });
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
    writeFileSync(certPath, pems.cert);
  }
  const cert = readFileSync(certPath);
  const key = readFileSync(keyPath);
  return { cert, key, context: tls.createSecureContext({ cert, key }), isSelfSigned: true };
}

/** Wrap an accepted plain socket as the server side of TLS (implicit TLS and STARTTLS). */
export function upgradeToTls(socket: import('node:net').Socket, material: TlsMaterial): tls.TLSSocket {
  return new tls.TLSSocket(socket, { isServer: true, secureContext: material.context });
}
