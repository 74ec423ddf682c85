// keepd doctor against a real server: healthy, with its DNS records served by a stub on loopback,
// it says ok; with no DNS answer the DNS lines warn and say why; each breakage
// (a port answered by another program, a data file readable by others, an expired certificate)
// fails exactly its own line.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeepd, startKeep, type Keep } from '../../helpers/start-keep.ts';
import { handToServer } from '../../helpers/server-user.ts';
import { startDnsStub, type DnsStub } from '../../helpers/dns-stub.ts';

interface Report { status: string; checks: { name: string; status: string; detail: string }[] }

/** The doctor's settings for a running test server: its real ports, clock and outbound probes on loopback. */
function doctorEnv(keep: Keep, extra: Record<string, string> = {}): Record<string, string> {
  const ports = Object.fromEntries(Object.entries(keep.ports).map(([name, port]) => [`KEEP_${name.toUpperCase().replace(/-/g, '_')}_PORT`, String(port)]));
  return {
    ...ports, KEEP_DATA_DIR: keep.dataDir, KEEP_DOMAIN: 'keep.test', KEEP_BIND: '127.0.0.1',
    KEEP_CLOCK_CHECK_URL: `http://127.0.0.1:${keep.ports.http}/healthz`, KEEP_OUTBOUND_PROBE: `127.0.0.1:${keep.ports.smtp}`,
    // no DNS unless a test serves it: nothing listens on port 9, so lookups fail at once
    KEEP_DNS_SERVERS: '127.0.0.1:9',
    ...extra,
  };
}

async function doctor(keep: Keep, extra?: Record<string, string>): Promise<{ code: number | null; report: Report }> {
  const r = await runKeepd(['doctor', '--json', '--timeout', '10'], doctorEnv(keep, extra));
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

/** Everything that is not ok, by name; what the test machine cannot provide is allowed to warn. */
function notOk(report: Report): Record<string, string> {
  return Object.fromEntries(report.checks.filter((c) => c.status !== 'ok').map((c) => [c.name, c.status]));
}

const EXPECTED_WARNINGS = (report: Report) => {
  const w: Record<string, string> = {};
  // without a DNS stub the record lines cannot be looked up: they warn (their own test checks why)
  for (const c of report.checks) if (c.name.startsWith('dns ') && c.status === 'warn') w[c.name] = 'warn';
  // a machine whose hard limit is below 65536 cannot give the worker more: that warning is true
  if (report.checks.find((c) => c.name === 'open files')?.status === 'warn') w['open files'] = 'warn';
  return w;
};

describe('keepd doctor', () => {
  let keep: Keep;
  let umask: number;
  let dns: DnsStub;
  beforeAll(async () => {
    umask = process.umask(0o077); // as the service unit's UMask=0077 does: data files 0600, directories 0700
    keep = await startKeep();
    // publish exactly what `keepd dns` says to publish
    const printed = await runKeepd(['dns', '--json'], doctorEnv(keep));
    const records = JSON.parse(printed.stdout) as { name: string; type: 'MX' | 'TXT'; value: string }[];
    dns = await startDnsStub();
    for (const r of records) {
      if (r.type === 'TXT') (dns.zone.TXT[r.name] ??= []).push(r.value);
      else {
        const [priority, exchange] = r.value.split(' ');
        (dns.zone.MX[r.name] ??= []).push({ priority: Number(priority), exchange: exchange! });
      }
    }
  }, 60_000);
  afterAll(async () => {
    await keep?.stop();
    await dns?.close();
    process.umask(umask);
  });

  it('says ok for every check on a healthy server whose DNS records are published', async () => {
    const { code, report } = await doctor(keep, { KEEP_DNS_SERVERS: dns.server });
    expect(report.checks.filter((c) => c.name.startsWith('dns ') && c.status !== 'ok')).toEqual([]);
    expect(notOk(report)).toEqual(EXPECTED_WARNINGS(report));
    expect(report.checks.filter((c) => c.name.startsWith('dns ')).length).toBeGreaterThanOrEqual(5);
    expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['listener smtp', 'listener imap-tls', 'certificate imap-tls', 'file modes', 'open files', 'disk', 'store map', 'clock', 'outbound smtp', 'dns MX keep.test']));
    expect(code).toBe(0);
  });

  it('fails a DNS line whose record differs, and warns with the reason when nothing answers', async () => {
    const spf = Object.keys(dns.zone.TXT).find((n) => n === 'keep.test')!;
    const saved = dns.zone.TXT[spf]!;
    dns.zone.TXT[spf] = saved.map((t) => (t.startsWith('v=spf1') ? 'v=spf1 +all' : t));
    try {
      const { code, report } = await doctor(keep, { KEEP_DNS_SERVERS: dns.server });
      expect(report.checks.find((c) => c.name === 'dns TXT keep.test' && c.status === 'fail')?.detail).toMatch(/differs/);
      expect(code).toBe(1);
    } finally {
      dns.zone.TXT[spf] = saved;
    }
    const { report } = await doctor(keep, { KEEP_DNS_SERVERS: '127.0.0.1:9' });
    const dnsLines = report.checks.filter((c) => c.name.startsWith('dns '));
    expect(dnsLines.length).toBeGreaterThan(0);
    for (const c of dnsLines) expect([c.status, c.detail]).toEqual(['warn', expect.stringMatching(/cannot look it up/)]);
  });

  it('prints one line per check with ok, warn or fail', async () => {
    const r = await runKeepd(['doctor'], doctorEnv(keep));
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^(ok|warn|fail) +\S/);
    expect(r.stdout).toMatch(/^ok +listener smtp +127\.0\.0\.1:\d+ answers: 220 keep\.test ESMTP/m);
  });

  it('fails the listener line when another program holds the port', async () => {
    const inn = net.createServer((s) => s.end('200 news.example.net InterNetNews server INN 2.7.1 ready\r\n'));
    await new Promise<void>((r) => inn.listen(0, '127.0.0.1', r));
    try {
      const port = (inn.address() as net.AddressInfo).port;
      const { code, report } = await doctor(keep, { KEEP_NNTP_PORT: String(port) });
      expect(notOk(report)).toEqual({ ...EXPECTED_WARNINGS(report), 'listener nntp': 'fail' });
      expect(report.checks.find((c) => c.name === 'listener nntp')?.detail).toMatch(/in use by another server/);
      expect(code).toBe(1);
    } finally {
      inn.close();
    }
  });

  it('fails the listener line when nothing listens on the port', async () => {
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    const { code, report } = await doctor(keep, { KEEP_IMAP_PORT: String(port) });
    expect(notOk(report)).toEqual({ ...EXPECTED_WARNINGS(report), 'listener imap': 'fail' });
    expect(report.checks.find((c) => c.name === 'listener imap')?.detail).toMatch(/connection refused/);
    expect(code).toBe(1);
  });

  it('fails the clock line when the reference host\'s Date is ten minutes away', async () => {
    const skewed = http.createServer((_req, res) => {
      res.sendDate = false;
      res.writeHead(200, { date: new Date(Date.now() + 10 * 60_000).toUTCString() });
      res.end();
    });
    await new Promise<void>((r) => skewed.listen(0, '127.0.0.1', r));
    try {
      const { port } = skewed.address() as net.AddressInfo;
      const { code, report } = await doctor(keep, { KEEP_CLOCK_CHECK_URL: `http://127.0.0.1:${port}/` });
      expect(notOk(report)).toEqual({ ...EXPECTED_WARNINGS(report), clock: 'fail' });
      expect(report.checks.find((c) => c.name === 'clock')?.detail).toMatch(/^(599|600|601) s behind 127\.0\.0\.1:\d+/);
      expect(code).toBe(1);
    } finally {
      skewed.close();
    }
  });

  it('fails the outbound line when nothing answers on the outbound SMTP port', async () => {
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    const { code, report } = await doctor(keep, { KEEP_OUTBOUND_PROBE: `127.0.0.1:${port}` });
    expect(notOk(report)).toEqual({ ...EXPECTED_WARNINGS(report), 'outbound smtp': 'fail' });
    expect(report.checks.find((c) => c.name === 'outbound smtp')?.detail).toMatch(/looks blocked/);
    expect(code).toBe(1);
  });

  it('fails the file-modes line for a data file readable by others', async () => {
    const file = join(keep.dataDir, 'keep.mdb', 'data.mdb');
    chmodSync(file, 0o644);
    try {
      const { code, report } = await doctor(keep);
      expect(notOk(report)).toEqual({ ...EXPECTED_WARNINGS(report), 'file modes': 'fail' });
      expect(report.checks.find((c) => c.name === 'file modes')?.detail).toContain(`${file} 0644 (want 0600)`);
      expect(code).toBe(1);
    } finally {
      chmodSync(file, 0o600);
    }
  });
});

describe('keepd doctor with an expired certificate', () => {
  let keep: Keep;
  let umask: number;
  const dir = mkdtempSync(join(tmpdir(), 'keep-expired-'));
  beforeAll(async () => {
    umask = process.umask(0o077);
    const day = 24 * 3600 * 1000;
    const names = ['keep.test', 'mail.keep.test', 'news.keep.test'];
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'keep.test' }], {
      keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(Date.now() - 100 * day), notAfterDate: new Date(Date.now() - day),
      extensions: [{ name: 'subjectAltName', altNames: names.map((value) => ({ type: 2, value })) }],
    });
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.private);
    handToServer(dir);
    keep = await startKeep({ env: { KEEP_TLS_CERT: join(dir, 'cert.pem'), KEEP_TLS_KEY: join(dir, 'key.pem') } });
  }, 60_000);
  afterAll(async () => {
    await keep?.stop();
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the certificate line of every TLS listener, and nothing else', async () => {
    const { code, report } = await doctor(keep, { KEEP_TLS_CERT: join(dir, 'cert.pem'), KEEP_TLS_KEY: join(dir, 'key.pem') });
    const certLines = report.checks.filter((c) => c.name.startsWith('certificate '));
    expect(certLines.length).toBeGreaterThanOrEqual(2);
    expect(notOk(report)).toEqual({ ...EXPECTED_WARNINGS(report), ...Object.fromEntries(certLines.map((c) => [c.name, 'fail'])) });
    for (const c of certLines) expect(c.detail).toMatch(/expired on \d{4}-\d\d-\d\d/);
    expect(code).toBe(1);
  });
});
