// /healthz and /metrics: is the worker up, is the store open, how often has it restarted, when
// does the certificate expire (degraded two weeks ahead, when a failed renewal needs a person).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TranslatorDeps } from '../types.ts';

/** days before expiry at which health turns degraded (ACME renews at 30; this means it failed) */
export const CERTIFICATE_DEGRADED_DAYS = 14;

export function healthz(deps: TranslatorDeps, _req: IncomingMessage, res: ServerResponse): void {
  const { core, runtime } = deps;
  let storeOpen = true;
  try {
    core.users.count();
  } catch {
    storeOpen = false; // a read that throws means the environment is closed or broken
  }
  // a failed scheduled snapshot degrades health (the service still answers: 200, not 503)
  const backup = core.backup.schedule.status();
  const certificate = { ...deps.tls.status(), ...(deps.acme.renewal ? { acme: deps.acme.renewal() } : {}) };
  const isExpiring = certificate.daysLeft < CERTIFICATE_DEGRADED_DAYS;
  const body = {
    status: storeOpen && !backup.lastError && !isExpiring ? 'ok' : 'degraded',
    worker: { pid: process.pid, uptimeSeconds: Math.round((Date.now() - runtime.workerStarted) / 1000), rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
    store: { open: storeOpen },
    uptimeSeconds: Math.round((Date.now() - runtime.supervisorStarted) / 1000),
    restarts: runtime.restarts,
    connections: core.presence.connectionCount(),
    backup,
    certificate,
  };
  res.writeHead(storeOpen ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function metrics(deps: TranslatorDeps, _req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(deps.metrics.render());
}
