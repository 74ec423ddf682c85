// Doctor: the DNS records an admin must publish (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT), looked
// up as `keepd dns --check` does, through KEEP_DNS_SERVERS: one line per record. A record that is
// missing or differs fails; a lookup that gets no answer warns and says so (a doctor on a host
// without DNS cannot tell whether the world sees the records).
import { checkSiteDns } from '../commands/dns.ts';
import type { RecordCheck } from '../../core/mail-auth/dns-records.ts';
import { result, type CheckResult, type DoctorContext } from './types.ts';

function line(c: RecordCheck): CheckResult {
  const name = `dns ${c.record.type} ${c.record.name}`;
  switch (c.status) {
    case 'ok': return result(name, 'ok', 'published as wanted');
    case 'error': return result(name, 'warn', `cannot look it up (${c.found.join(', ') || 'no answer'}); want: ${c.record.value}`);
    case 'missing': return result(name, 'fail', `missing; publish: ${c.record.value}`);
    case 'differs': return result(name, 'fail', `differs: found ${c.found.join(' | ')}; want: ${c.record.value}`);
  }
}

export async function checkDns(ctx: DoctorContext): Promise<CheckResult[]> {
  try {
    return (await checkSiteDns(ctx.config)).map(line);
  } catch (err) {
    return [result('dns', 'warn', `cannot check DNS records: ${(err as Error).message}`)];
  }
}
