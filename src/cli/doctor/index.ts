// keepd doctor: every check, run side by side, each bounded by a timeout; one line per check.
import { reachableHost } from './probe.ts';
import { probeListeners } from './listeners.ts';
import { checkCertificates } from './certificates.ts';
import { checkClock, checkDisk, checkFileLimit, checkFileModes } from './host.ts';
import { checkOutbound } from './outbound.ts';
import { checkDns } from './dns.ts';
import type { Config } from '../../config/index.ts';
import type { CheckResult, CheckStatus, DoctorContext, Health } from './types.ts';

export type { CheckResult, CheckStatus };

async function readHealth(config: Config, timeoutMs: number): Promise<Health | undefined> {
  if (config.httpPort <= 0) return undefined;
  try {
    const res = await fetch(`http://${reachableHost(config.bind).replace(/^(.*:.*)$/, '[$1]')}:${config.httpPort}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return (await res.json()) as Health;
  } catch {
    return undefined; // not running, or not Keep: the listener check says which
  }
}

/** Run every check; the results come in a fixed order whatever finished first. */
export async function runDoctor(config: Config, opts: { timeoutMs: number }): Promise<CheckResult[]> {
  const ctx: DoctorContext = { config, timeoutMs: opts.timeoutMs, health: await readHealth(config, opts.timeoutMs) };
  const listeners = probeListeners(ctx);
  const groups = await Promise.all([
    listeners.then((l) => l.results),
    listeners.then((l) => checkCertificates(ctx, l.answers)),
    checkFileModes(ctx),
    checkFileLimit(ctx),
    checkDisk(ctx),
    checkClock(ctx),
    checkOutbound(ctx),
    checkDns(ctx),
  ]);
  return groups.flat();
}

/** The worst status: fail beats warn beats ok. */
export function overall(results: CheckResult[]): CheckStatus {
  return results.some((r) => r.status === 'fail') ? 'fail' : results.some((r) => r.status === 'warn') ? 'warn' : 'ok';
}

/** `ok    listener smtp        127.0.0.1:25 answers: 220 …` */
export function renderText(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results.map((r) => `${r.status.padEnd(5)} ${r.name.padEnd(width)}  ${r.detail}\n`).join('');
}
