// The mail-authentication picture of this site, from the configuration: its local domains,
// their DKIM keys (created on first use) and the records to publish. Shared by the worker (SMTP)
// and the command line (keepd dns, keepd dkim), so both see one truth.
import type { Config } from '../../config/index.ts';
import { DkimKeys, defaultSelectorBase } from './dkim-keys.ts';
import { siteRecords, type DnsRecord, type SiteDns } from './dns-records.ts';
import { createResolver, type Resolve } from './resolver.ts';

export function localDomainsOf(config: Pick<Config, 'domain' | 'localDomains'>): string[] {
  return [...new Set([config.domain, ...config.localDomains].map((d) => d.toLowerCase()))];
}

export function selectorBaseOf(config: Pick<Config, 'dkimSelector'>): string {
  return config.dkimSelector ?? defaultSelectorBase();
}

/** The key store; keys are being generated for any local domain that has none yet (`created`). */
export function openDkimKeys(config: Pick<Config, 'dataDir' | 'domain' | 'localDomains' | 'dkimSelector'>): { keys: DkimKeys; created: Promise<string[]> } {
  const keys = new DkimKeys(config.dataDir);
  const created = keys.ensure(localDomainsOf(config), selectorBaseOf(config));
  return { keys, created };
}

export function siteDns(config: Config, keys: DkimKeys): SiteDns {
  return {
    primary: config.domain.toLowerCase(), domains: localDomainsOf(config), keys: keys.all(), spf: config.spfRecord,
    reportAddress: config.dmarcRua ?? `${config.adminUser}@${config.domain}`.toLowerCase(),
    mtaStsMode: config.mtaStsMode as SiteDns['mtaStsMode'],
  };
}

export function siteRecordsOf(config: Config, keys: DkimKeys): DnsRecord[] {
  return siteRecords(siteDns(config, keys));
}

export function resolverOf(config: Pick<Config, 'dnsServers' | 'dnsTimeout'>): Resolve {
  return createResolver({ servers: config.dnsServers, timeoutMs: config.dnsTimeout });
}
