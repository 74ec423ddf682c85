// Doctor: can this host open SMTP connections to other servers? Many providers block outbound
// port 25; then mail waits in the queue until it bounces, unless a smarthost takes it.
import { probeLine } from './probe.ts';
import { result, type CheckResult, type DoctorContext } from './types.ts';

/** The host:port outbound mail goes to first: the smarthost route (*) when set, else KEEP_OUTBOUND_PROBE. */
function target(ctx: DoctorContext): { host: string; port: number; why: string } {
  const smarthost = ctx.config.smtpRoutes.find((r) => r.startsWith('*='));
  const raw = smarthost ? smarthost.slice(2).replace(/^.*@/, '') : ctx.config.outboundProbe;
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(raw);
  return { host: m?.[1] ?? raw, port: Number(m?.[2] ?? 25), why: smarthost ? 'the smarthost' : 'KEEP_OUTBOUND_PROBE' };
}

export async function checkOutbound(ctx: DoctorContext): Promise<CheckResult[]> {
  const { host, port, why } = target(ctx);
  const where = `${host}:${port} (${why})`;
  try {
    const { line } = await probeLine({ host, port, timeoutMs: ctx.timeoutMs });
    if (!/^220[ -]/.test(line)) return [result('outbound smtp', 'warn', `${where} answered '${line.slice(0, 60)}', not an SMTP greeting`)];
    return [result('outbound smtp', 'ok', `${where} greets: ${line.slice(0, 60)}`)];
  } catch (err) {
    const reason = (err as Error).message;
    if (/ENOTFOUND|EAI_AGAIN/.test(reason)) return [result('outbound smtp', 'warn', `cannot resolve ${host} (no DNS here?): outbound reachability unknown`)];
    return [result('outbound smtp', 'fail', `${where}: ${reason}. Outbound port ${port} looks blocked: mail to other servers will wait in the queue (ask the provider, or route through a smarthost: KEEP_SMTP_ROUTES=*=host:587)`)];
  }
}
