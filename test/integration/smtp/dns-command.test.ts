// keepd dns (issue 20): the zone lines for every local domain, and --check through a DNS stub
// on loopback (KEEP_DNS_SERVERS): what is published as printed is ok, the rest missing or differs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeepd } from '../../helpers/start-keep.ts';
import { startDnsStub, type DnsStub } from '../../helpers/dns-stub.ts';
import { parseZone } from '../../helpers/zone.ts';

let dir: string;
let dns: DnsStub;
let env: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keep-dns-'));
  dns = await startDnsStub();
  env = { KEEP_DATA_DIR: dir, KEEP_DOMAIN: 'keep.test', KEEP_LOCAL_DOMAINS: 'keep2.test', KEEP_ADMIN_PASSWORD: 'x', KEEP_DNS_SERVERS: dns.server, KEEP_DNS_TIMEOUT: '500' };
});
afterAll(async () => {
  await dns?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('keepd dns', () => {
  it('prints MX, SPF, both DKIM keys, DMARC, MTA-STS and TLS-RPT for every local domain, the same each time', async () => {
    const first = await runKeepd(['dns'], env);
    expect(first.code).toBe(0);
    const zone = parseZone(first.stdout);
    for (const d of ['keep.test', 'keep2.test']) {
      expect(zone.MX[d]).toEqual([{ priority: 10, exchange: 'keep.test' }]);
      expect(zone.TXT[d]).toEqual(['v=spf1 mx -all']);
      expect(Object.keys(zone.TXT).filter((n) => n.endsWith(`._domainkey.${d}`))).toHaveLength(2);
      expect(zone.TXT[`_dmarc.${d}`]).toEqual(['v=DMARC1; p=quarantine; rua=mailto:admin@keep.test']);
      expect(zone.TXT[`_mta-sts.${d}`]![0]).toMatch(/^v=STSv1; id=\w+$/);
      expect(zone.TXT[`_smtp._tls.${d}`]).toEqual(['v=TLSRPTv1; rua=mailto:admin@keep.test']);
    }
    expect(first.stdout).toContain('mode: testing');
    // the keys were made once, on first use
    expect((await runKeepd(['dns'], env)).stdout).toBe(first.stdout);
  }, 120_000);

  it('--check says ok for what is published as printed, missing and differs for the rest (exit 1)', async () => {
    const zone = parseZone((await runKeepd(['dns'], env)).stdout);
    Object.assign(dns.zone.TXT, zone.TXT);
    Object.assign(dns.zone.MX, zone.MX);
    const all = await runKeepd(['dns', '--check', '--json'], env);
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as { status: string }[]).every((c) => c.status === 'ok')).toBe(true);

    delete dns.zone.TXT['_dmarc.keep2.test'];
    dns.zone.TXT['keep.test'] = ['v=spf1 a -all'];
    const some = await runKeepd(['dns', '--check'], env);
    expect(some.code).toBe(1);
    expect(some.stdout).toMatch(/^missing TXT _dmarc\.keep2\.test\n\s+want: v=DMARC1; p=quarantine/m);
    expect(some.stdout).toMatch(/^differs TXT keep\.test\n\s+want: v=spf1 mx -all\n\s+found: v=spf1 a -all/m);
    expect(some.stdout).toMatch(/^ok\s+MX\s+keep2\.test$/m);
  }, 120_000);
});
