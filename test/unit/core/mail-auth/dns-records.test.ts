// The records `keepd dns` prints and how --check judges what a resolver answers.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRecord, renderZone, siteRecords, type SiteDns } from '../../../../src/core/mail-auth/dns-records.ts';
import { dnsPublicKey, type DkimKey } from '../../../../src/core/mail-auth/dkim-keys.ts';
import { parseZone } from '../../../helpers/zone.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = (domain: string, isActive = true): DkimKey => ({
  domain, selector: `keep2026-rsa`, base: 'keep2026', algorithm: 'rsa-sha256', privateKeyPem: '', publicKey: dnsPublicKey(rsa.publicKey), isActive,
});
const site: SiteDns = {
  primary: 'keep.test', domains: ['keep.test', 'other.test'], keys: [key('keep.test'), key('other.test')],
  spf: 'v=spf1 mx -all', reportAddress: 'admin@keep.test', mtaStsMode: 'testing',
};

describe('siteRecords and renderZone', () => {
  const records = siteRecords(site);

  it('gives every domain MX, SPF, DKIM, DMARC with reports to a local mailbox, MTA-STS and TLS-RPT', () => {
    for (const d of site.domains) {
      expect(records.filter((r) => r.domain === d).map((r) => `${r.type} ${r.name}`)).toEqual(expect.arrayContaining([
        `MX ${d}`, `TXT ${d}`, `TXT keep2026-rsa._domainkey.${d}`, `TXT _dmarc.${d}`, `TXT _mta-sts.${d}`, `TXT _smtp._tls.${d}`,
      ]));
    }
    expect(records.find((r) => r.name === '_dmarc.keep.test')!.value).toBe('v=DMARC1; p=quarantine; rua=mailto:admin@keep.test');
    // reports for other.test go to keep.test, which must say it accepts them (RFC 7489 §7.1)
    expect(records.find((r) => r.name === 'other.test._report._dmarc.keep.test')!.value).toBe('v=DMARC1');
  });

  it('renders zone lines whose long TXT texts split into 255-octet strings and read back the same', () => {
    const text = renderZone(site, records);
    expect(text).toMatch(/^keep2026-rsa\._domainkey\.keep\.test\.\t3600\tIN\tTXT\t"v=DKIM1; k=rsa; p=[^"]{200,}" "[^"]+"$/m);
    const zone = parseZone(text);
    for (const r of records.filter((x) => x.type === 'TXT')) expect(zone.TXT[r.name]).toContain(r.value);
    expect(zone.MX['other.test']).toEqual([{ priority: 10, exchange: 'keep.test' }]);
  });
});

describe('checkRecord', () => {
  const spf = siteRecords(site).find((r) => r.name === 'keep.test' && r.type === 'TXT')!;
  const mx = siteRecords(site).find((r) => r.type === 'MX')!;
  const nxdomain = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));

  it.each([
    ['ok, among other TXT records', [['google-site-verification=x'], ['v=spf1 mx', ' -all']], 'ok'],
    ['differs', [['v=spf1 a -all']], 'differs'],
    ['missing when only other TXT records exist', [['hello']], 'missing'],
  ])('judges SPF %s', async (_name, answer, status) => {
    expect((await checkRecord(async () => answer, spf)).status).toBe(status);
  });

  it('reports a missing name and a resolver error', async () => {
    expect((await checkRecord(nxdomain, spf)).status).toBe('missing');
    expect(await checkRecord(() => Promise.reject(Object.assign(new Error('t'), { code: 'ETIMEOUT' })), spf)).toMatchObject({ status: 'error', found: ['ETIMEOUT'] });
  });

  it('accepts an MX pointing at our host in any case and with a final dot', async () => {
    expect((await checkRecord(async () => [{ exchange: 'KEEP.test.', priority: 5 }], mx)).status).toBe('ok');
    expect((await checkRecord(async () => [{ exchange: 'mx.elsewhere.test', priority: 5 }], mx))).toMatchObject({ status: 'differs', found: ['5 mx.elsewhere.test'] });
  });
});
