// Let's Encrypt's test CA, Debian's `pebble`, on loopback: a mock DNS server (pebble-challtestsrv)
// answering every name with 127.0.0.1, and pebble validating HTTP-01 on the port Keep's HTTP
// listener will use. Short certificate lifetimes make renewal happen within a test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { handToServer } from './server-user.ts';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export const hasPebble = spawnSync('pebble', ['-h']).error === undefined && spawnSync('pebble-challtestsrv', ['-h']).error === undefined;

export interface Pebble {
  directoryUrl: string;
  /** PEM of the certificate pebble's own HTTPS API uses: give it to Keep as NODE_EXTRA_CA_CERTS */
  apiCaFile: string;
  /** the root that signs the certificates pebble issues */
  issuingRoot(): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

function waitForOutput(p: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 20 s: ${seen.slice(-400)}`)), 20_000);
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) { clearTimeout(timer); resolve(); }
    };
    p.stdout?.on('data', onData);
    p.stderr?.on('data', onData);
    p.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}): ${seen.slice(-400)}`)); });
  });
}

function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', () => { clearTimeout(timer); resolve(); });
    p.kill('SIGTERM');
  });
}

/** Start the mock DNS and pebble; HTTP-01 is checked on httpPort of whatever name is ordered. */
export async function startPebble(opts: { httpPort: number; validitySeconds: number }): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'keep-pebble-'));
  const api = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048, algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  const apiCaFile = join(dir, 'api.pem');
  writeFileSync(apiCaFile, api.cert);
  handToServer(dir); // keepd reads the CA file after it drops to its user
  writeFileSync(join(dir, 'api.key'), api.private);
  const [dnsPort, dnsMgmt, wfe, mgmt, tlsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  writeFileSync(join(dir, 'pebble.json'), JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${wfe}`, managementListenAddress: `127.0.0.1:${mgmt}`,
      certificate: apiCaFile, privateKey: join(dir, 'api.key'),
      httpPort: opts.httpPort, tlsPort, ocspResponderURL: '', externalAccountBindingRequired: false,
      certificateValidityPeriod: opts.validitySeconds,
    },
  }));
  const dns = spawn('pebble-challtestsrv', ['-dns01', `127.0.0.1:${dnsPort}`, '-defaultIPv4', '127.0.0.1', '-defaultIPv6', '', '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', `127.0.0.1:${dnsMgmt}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let pebble: ChildProcess | undefined;
  try {
    await waitForOutput(dns, /Starting challenge servers|DNS-01 challenge server on|Answering A questions/i, 'pebble-challtestsrv');
    // no random validation sleeps and no rejected nonces: the test waits for renewals, not for chance
    pebble = spawn('pebble', ['-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
    });
    await waitForOutput(pebble, /ACME directory available at/, 'pebble');
  } catch (err) {
    await Promise.all([stopProcess(dns), pebble ? stopProcess(pebble) : undefined]);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const started = pebble;
  return {
    directoryUrl: `https://127.0.0.1:${wfe}/dir`,
    apiCaFile,
    async issuingRoot() {
      // pebble's management API, over its own TLS (not trusted by this process: checked by pinning)
      return new Promise((resolve, reject) => {
        const tls = import('node:https').then((https) => https.get({ host: '127.0.0.1', port: mgmt, path: '/roots/0', ca: api.cert }, (res) => {
          let body = '';
          res.on('data', (d) => { body += d; });
          res.on('end', () => resolve(body));
        }).on('error', reject));
        tls.catch(reject);
      });
    },
    async stop() {
      await Promise.all([stopProcess(started), stopProcess(dns)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
