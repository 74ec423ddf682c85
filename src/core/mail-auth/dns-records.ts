// The DNS records a Keep site publishes for every local domain (`keepd dns`): MX, SPF
// (RFC 7208), DKIM keys (RFC 6376, RFC 8463), DMARC (RFC 7489) with aggregate reports to a local
// mailbox, MTA-STS (RFC 8461) and TLS-RPT (RFC 8460); rendered as zone-file lines, and checked
// against what a resolver answers (`keepd dns --check`, and later `keepd doctor`).
import { createHash } from 'node:crypto';
import { dkimRecordText, type DkimKey } from './dkim-keys.ts';
import { isNoRecord, type Resolve } from './resolver.ts';

export interface DnsRecord {
  /** the local domain it belongs to */
  domain: string;
  /** fully qualified, without the final dot */
  name: string;
  type: 'MX' | 'TXT';
  /** MX: "10 host"; TXT: the text as one string */
  value: string;
  /** what it is for, shown as a comment above it */
  purpose: string;
}

export interface SiteDns {
  /** the primary domain (KEEP_DOMAIN): the MX host and the home of the report mailboxes */
  primary: string;
  domains: string[];
  keys: DkimKey[];
  spf: string;
  /** mailto target of DMARC and TLS-RPT aggregate reports (a local mailbox) */
  reportAddress: string;
  mtaStsMode: 'testing' | 'enforce' | 'none';
}

const MTA_STS_MAX_AGE = 604800;

/** The policy file https://mta-sts.<domain>/.well-known/mta-sts.txt must serve (RFC 8461 §3.2). */
export function mtaStsPolicy(site: Pick<SiteDns, 'primary' | 'mtaStsMode'>): string {
  return `version: STSv1\r\nmode: ${site.mtaStsMode}\r\nmx: ${site.primary}\r\nmax_age: ${MTA_STS_MAX_AGE}\r\n`;
}

/** Every record to publish, domain by domain. */
export function siteRecords(site: SiteDns): DnsRecord[] {
  const out: DnsRecord[] = [];
  const policyId = createHash('sha256').update(mtaStsPolicy(site)).digest('hex').slice(0, 16);
  const reportDomain = site.reportAddress.slice(site.reportAddress.lastIndexOf('@') + 1).toLowerCase();
  for (const d of site.domains.map((x) => x.toLowerCase())) {
    out.push({ domain: d, name: d, type: 'MX', value: `10 ${site.primary}`, purpose: `mail for ${d} comes to this server` });
    out.push({ domain: d, name: d, type: 'TXT', value: site.spf, purpose: 'SPF: which hosts send mail for this domain' });
    for (const k of site.keys.filter((x) => x.domain === d)) {
      out.push({ domain: d, name: `${k.selector}._domainkey.${d}`, type: 'TXT', value: dkimRecordText(k), purpose: `DKIM ${k.algorithm} key${k.isActive ? ' (signing now)' : ' (retired; keeps older mail verifying until `keepd dkim remove`)'}` });
    }
    out.push({ domain: d, name: `_dmarc.${d}`, type: 'TXT', value: `v=DMARC1; p=quarantine; rua=mailto:${site.reportAddress}`, purpose: 'DMARC: unaligned mail claiming this domain goes to Junk; aggregate reports to a local mailbox' });
    if (reportDomain !== d) {
      // RFC 7489 §7.1: a report address in another domain must agree to take the reports
      out.push({ domain: d, name: `${d}._report._dmarc.${reportDomain}`, type: 'TXT', value: 'v=DMARC1', purpose: `lets ${reportDomain} receive the DMARC reports of ${d}` });
    }
    out.push({ domain: d, name: `_mta-sts.${d}`, type: 'TXT', value: `v=STSv1; id=${policyId}`, purpose: `MTA-STS: senders must use TLS (policy at https://mta-sts.${d}/.well-known/mta-sts.txt)` });
    out.push({ domain: d, name: `_smtp._tls.${d}`, type: 'TXT', value: `v=TLSRPTv1; rua=mailto:${site.reportAddress}`, purpose: 'TLS-RPT: where senders report TLS failures' });
  }
  return out;
}

/** TXT text as zone-file character strings of at most 255 octets each (RFC 1035 §3.3.14). */
function quoted(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(`"${text.slice(i, i + 255).replace(/(["\\])/g, '\\$1')}"`);
  return parts.join(' ');
}

/** Zone-file lines ready to paste, with a comment over each record and the MTA-STS policy file. */
export function renderZone(site: SiteDns, records: DnsRecord[]): string {
  const lines: string[] = [];
  let domain = '';
  for (const r of records) {
    if (r.domain !== domain) {
      domain = r.domain;
      lines.push('', `; ---- ${domain} ----`);
    }
    lines.push(`; ${r.purpose}`);
    lines.push(`${r.name}.\t3600\tIN\t${r.type}\t${r.type === 'TXT' ? quoted(r.value) : `${r.value}.`}`);
  }
  lines.push('', `; MTA-STS also needs this file served over HTTPS, with a valid certificate, at`,
    `; https://mta-sts.<domain>/.well-known/mta-sts.txt for each domain above:`);
  for (const l of mtaStsPolicy(site).trimEnd().split('\r\n')) lines.push(`;   ${l}`);
  return `${lines.join('\n').trimStart()}\n`;
}

export type RecordStatus = 'ok' | 'missing' | 'differs' | 'error';

export interface RecordCheck {
  record: DnsRecord;
  status: RecordStatus;
  /** what the resolver answered (or its error) */
  found: string[];
}

const norm = (s: string) => s.replace(/\s+/g, ' ').replace(/\s*;\s*/g, '; ').replace(/;\s*$/, '').trim().toLowerCase();
const bareHost = (h: string) => h.replace(/\.$/, '').toLowerCase();

/** Which TXT answers at a name are of the same kind as the record (SPF among other TXT, say). */
function sameKind(expected: string, answer: string): boolean {
  const tag = /^(v=[a-z0-9]+)/i.exec(expected)?.[1]?.toLowerCase();
  return tag ? answer.toLowerCase().startsWith(tag) : true;
}

/** Resolve one record and compare it with what should be there. */
export async function checkRecord(resolve: Resolve, r: DnsRecord): Promise<RecordCheck> {
  let answers: unknown;
  try {
    answers = await resolve(r.name, r.type);
  } catch (err) {
    if (isNoRecord(err)) return { record: r, status: 'missing', found: [] };
    return { record: r, status: 'error', found: [String((err as NodeJS.ErrnoException).code ?? (err as Error).message)] };
  }
  if (r.type === 'MX') {
    const mx = answers as { exchange: string; priority: number }[];
    const found = mx.map((m) => `${m.priority} ${bareHost(m.exchange)}`);
    const host = bareHost(r.value.split(' ')[1] ?? '');
    return { record: r, status: mx.some((m) => bareHost(m.exchange) === host) ? 'ok' : found.length ? 'differs' : 'missing', found };
  }
  const texts = (answers as string[][]).map((chunks) => chunks.join(''));
  const relevant = texts.filter((t) => sameKind(r.value, t));
  if (relevant.some((t) => norm(t) === norm(r.value))) return { record: r, status: 'ok', found: relevant };
  return { record: r, status: relevant.length ? 'differs' : 'missing', found: relevant };
}

/** Check every record, a few at a time (each lookup is bounded by the resolver's timeout). */
export async function checkRecords(resolve: Resolve, records: DnsRecord[]): Promise<RecordCheck[]> {
  const out: RecordCheck[] = [];
  for (let i = 0; i < records.length; i += 8) out.push(...await Promise.all(records.slice(i, i + 8).map((r) => checkRecord(resolve, r))));
  return out;
}
