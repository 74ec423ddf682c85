// /healthz and /metrics: is the worker up, is the store open, how often has it restarted, when
// does the certificate expire (degraded two weeks ahead, when a failed renewal needs a person).
// Load balancers get the bare status from anywhere; the detail (pid, restarts, connections,
// memory, certificate) and /metrics are for the operator: loopback clients or KEEP_METRICS_TOKEN as a bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback } from '../../net/loopback.ts';
import type { TranslatorDeps } from '../types.ts';
import type { Client } from './client.ts';

/** A loopback client (the real one, behind a trusted proxy), or the right bearer token. */
export function isOperator(client: Client, req: IncomingMessage, token: string | undefined): boolean {
  if (isLoopback(client.address)) return true;
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!token || !m) return false;
  // compared as digests: equal lengths, constant time
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/** days before expiry at which health turns degraded (ACME renews at 30; this means it failed) */
export const CERTIFICATE_DEGRADED_DAYS = 14;

export function healthz(deps: TranslatorDeps, _req: IncomingMessage, res: ServerResponse, isDetailed: boolean): void {
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
  const status = storeOpen && !backup.lastError && !isExpiring ? 'ok' : 'degraded';
  const body = isDetailed ? {
    status,
    worker: { pid: process.pid, uptimeSeconds: Math.round((Date.now() - runtime.workerStarted) / 1000), rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
    store: { open: storeOpen },
    uptimeSeconds: Math.round((Date.now() - runtime.supervisorStarted) / 1000),
    restarts: runtime.restarts,
    connections: core.presence.connectionCount(),
    backup,
    certificate,
  } : { status };
  res.writeHead(storeOpen ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function metrics(deps: TranslatorDeps, _req: IncomingMessage, res: ServerResponse, isAllowed: boolean): void {
  if (!isAllowed) {
    res.writeHead(403, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
    res.end('metrics are for loopback clients or a bearer token (KEEP_METRICS_TOKEN)\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(deps.metrics.render());
}
