// The one DNS resolver of a worker (KEEP_DNS_SERVERS, KEEP_DNS_TIMEOUT): outbound MX lookups,
// MTA-STS, and every inbound SPF/DKIM/DMARC/ARC check go through it. Short timeouts and two
// tries, so a dead or slow server costs seconds, never a hung SMTP session; a lookup that
// times out rejects with ETIMEOUT, which the checks report as temperror.
import { promises as dns } from 'node:dns';

/** rrtype → answer, in node:dns's shapes (TXT: string[][], MX: {exchange, priority}[], …). */
export type Resolve = (name: string, rrtype: string) => Promise<unknown>;

export interface ResolverOptions {
  /** host:port entries; empty means the system's resolv.conf */
  servers: string[];
  timeoutMs: number;
}

const TRIES = 2;

export function createResolver(opts: ResolverOptions): Resolve {
  const resolver = new dns.Resolver({ timeout: opts.timeoutMs, tries: TRIES });
  if (opts.servers.length) resolver.setServers(opts.servers);
  // node:dns names its rrtypes; SPF (99) is obsolete (RFC 7208 §3.1) and TXT carries it
  return (name, rrtype) => resolver.resolve(name, rrtype as 'TXT');
}

/** True for the node:dns codes that mean "no such name / no such record" (not a failure). */
export function isNoRecord(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}
