// Certificates over ACME (RFC 8555) with acme-client: obtains one certificate for every name Keep
// answers to (net/tls-names.ts), proves control with HTTP-01 on the HTTP listener, keeps the
// account key, certificate key and chain in <data dir>/acme (0600), renews when due (schedule.ts)
// with backoff on failure, and swaps the certificate on every TLS listener without a restart.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log/index.ts';
import type { TlsMaterial } from '../tls.ts';
import type { AcmeHttp } from './http01.ts';
import { nextAttempt, type Validity } from './schedule.ts';

export interface AcmeOptions {
  directoryUrl: string;
  email: string | undefined;
  names: string[];
  dataDir: string;
  tls: TlsMaterial;
  http: AcmeHttp;
  log: Logger;
}

/** setTimeout's ceiling; a later renewal is re-planned when this fires */
const MAX_TIMER = 2 ** 31 - 1;

function writePrivate(path: string, data: Buffer | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path); // a crash never leaves half a key or certificate behind
}

function validity(certPem: Buffer | string): Validity {
  const x = new X509Certificate(certPem);
  return { notBefore: new Date(x.validFrom).getTime(), notAfter: new Date(x.validTo).getTime() };
}

export class AcmeManager {
  private readonly dir: string;
  private current: Validity | undefined;
  private failures = 0;
  private lastAttempt = 0;
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private isStopped = false;

  constructor(private readonly opts: AcmeOptions) {
    this.dir = join(opts.dataDir, 'acme');
    opts.http.renewal = () => ({
      directory: opts.directoryUrl, failures: this.failures,
      nextAttempt: new Date(this.planned()).toISOString(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    });
  }

  /** Serve the stored certificate if it covers the names, then keep it renewed. */
  start(): void {
    this.loadStored();
    this.plan();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private loadStored(): void {
    const certPath = join(this.dir, 'cert.pem');
    const keyPath = join(this.dir, 'key.pem');
    if (!existsSync(certPath) || !existsSync(keyPath)) return;
    try {
      const cert = readFileSync(certPath);
      const x = new X509Certificate(cert);
      const missing = this.opts.names.filter((n) => x.checkHost(n) === undefined);
      if (missing.length) return void this.opts.log.info({ missing }, 'ACME: the stored certificate does not cover every name; ordering a new one');
      this.opts.tls.replace(cert, readFileSync(keyPath), 'acme');
      this.current = validity(cert);
    } catch (err) {
      this.opts.log.error({ err }, 'ACME: the stored certificate cannot be used; ordering a new one');
    }
  }

  private planned(): number {
    return nextAttempt({ current: this.current, failures: this.failures, lastAttempt: this.lastAttempt, now: Date.now() });
  }

  private plan(): void {
    if (this.isStopped) return;
    const wait = Math.max(0, this.planned() - Date.now());
    this.timer = setTimeout(() => {
      if (wait > MAX_TIMER) return this.plan();
      this.running = this.renew().finally(() => {
        this.running = undefined;
        this.plan();
      });
    }, Math.min(wait, MAX_TIMER));
    this.timer.unref();
  }

  /** One order: account, CSR, HTTP-01 for each name, certificate; then serve it. Never throws. */
  private async renew(): Promise<void> {
    const { log, names } = this.opts;
    this.lastAttempt = Date.now();
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // loaded only with KEEP_ACME, when an order is due: the library and its HTTP client would
      // otherwise be more than half of every worker's start-up
      const { default: acme } = await import('acme-client');
      const client = new acme.Client({ directoryUrl: this.opts.directoryUrl, accountKey: await this.accountKey(acme) });
      const [key, csr] = await acme.crypto.createCsr({ commonName: names[0]!, altNames: names }, await acme.crypto.createPrivateRsaKey(2048));
      const chain = await client.auto({
        csr, termsOfServiceAgreed: true, challengePriority: ['http-01'],
        ...(this.opts.email ? { email: this.opts.email } : {}),
        // the CA checks from outside; a self-check from here would need our own DNS name to resolve here
        skipChallengeVerification: true,
        challengeCreateFn: async (_authz, challenge, keyAuthorization) => this.opts.http.set(challenge.token, keyAuthorization),
        challengeRemoveFn: async (_authz, challenge) => this.opts.http.delete(challenge.token),
      });
      writePrivate(join(this.dir, 'key.pem'), key);
      writePrivate(join(this.dir, 'cert.pem'), chain);
      this.opts.tls.replace(Buffer.from(chain), key, 'acme');
      this.current = validity(chain);
      this.failures = 0;
      this.lastError = undefined;
      log.info({ names, notAfter: new Date(this.current.notAfter).toISOString() }, `ACME: certificate for ${names.join(', ')} obtained; now served on every TLS listener`);
    } catch (err) {
      this.failures += 1;
      this.lastError = (err as Error).message;
      const expires = this.current ? ` (the current one expires ${new Date(this.current.notAfter).toISOString()})` : '';
      log.error({ err, failures: this.failures, retryAt: new Date(this.planned()).toISOString() }, `ACME: could not obtain a certificate for ${names.join(', ')}${expires}; retrying with backoff`);
    }
  }

  private async accountKey(acme: typeof import('acme-client')): Promise<Buffer> {
    const path = join(this.dir, 'account.key');
    if (existsSync(path)) return readFileSync(path);
    const key = await acme.crypto.createPrivateEcdsaKey('P-256');
    writePrivate(path, key);
    return key;
  }
}
