// keepd dns [--check] [--json]: the DNS records to publish for every local domain, as zone-file
// lines; with --check, each is looked up through the configured resolver (KEEP_DNS_SERVERS) and
// reported ok, missing, differs or error (exit 1 unless all are ok).
import { checkRecords, renderZone, type RecordCheck } from '../../core/mail-auth/dns-records.ts';
import { openDkimKeys, resolverOf, siteDns, siteRecordsOf } from '../../core/mail-auth/site.ts';
import type { Config } from '../../config/index.ts';
import { positionals, takeFlag } from './args.ts';
import type { CliRunner } from './types.ts';

/** Look every record up; the reusable part of --check (keepd doctor calls it too). */
export async function checkSiteDns(config: Config): Promise<RecordCheck[]> {
  const { keys, created } = openDkimKeys(config);
    await created;
  return checkRecords(resolverOf(config), siteRecordsOf(config, keys));
}

export function renderChecks(checks: RecordCheck[]): string {
  return checks.map((c) => {
    const head = `${c.status.padEnd(7)} ${c.record.type.padEnd(3)} ${c.record.name}`;
    if (c.status === 'ok') return head;
    const want = `\n        want: ${c.record.value}`;
    const got = c.found.length ? c.found.map((f) => `\n        found: ${f}`).join('') : '';
    return `${head}${want}${got}`;
  }).join('\n') + '\n';
}

export const dns: CliRunner = {
  async run({ config, args }) {
    const isCheck = takeFlag(args, '--check');
    const json = takeFlag(args, '--json');
    positionals(args, 0, 'no arguments');
    const { keys, created } = openDkimKeys(config);
    await created;
    const records = siteRecordsOf(config, keys);
    if (!isCheck) {
      process.stdout.write(json ? `${JSON.stringify(records)}\n` : renderZone(siteDns(config, keys), records));
      return 0;
    }
    const checks = await checkRecords(resolverOf(config), records);
    process.stdout.write(json ? `${JSON.stringify(checks)}\n` : renderChecks(checks));
    return checks.every((c) => c.status === 'ok') ? 0 : 1;
  },
};
