// The host names Keep's certificate must cover: one answer for the self-signed certificate, ACME
// orders and the doctor, so the three never disagree.
import type { Config } from '../config/index.ts';

/** KEEP_TLS_NAMES, or every local domain bare and with each KEEP_TLS_NAME_PREFIXES prefix. */
export function certificateNames(c: Pick<Config, 'tlsNames' | 'tlsNamePrefixes' | 'domain' | 'localDomains'>): string[] {
  if (c.tlsNames.length > 0) return [...new Set(c.tlsNames.map((n) => n.toLowerCase()))];
  const domains = [c.domain, ...c.localDomains].map((d) => d.toLowerCase());
  return [...new Set(domains.flatMap((d) => [d, ...c.tlsNamePrefixes.map((p) => `${p.toLowerCase()}.${d}`)]))];
}
