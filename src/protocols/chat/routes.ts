// HTTP request dispatch: health and metrics, test faults, the JSON API, the web client's files.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TranslatorDeps } from '../types.ts';
import { api, type ApiDeps } from './api.ts';
import { faults } from './faults.ts';
import { healthz, isOperator as isOperatorOf, metrics } from './health.ts';
import type { ClientResolver } from './client.ts';
import { serveStatic, type loadStatic } from './static.ts';

export interface RouteDeps {
  translator: TranslatorDeps;
  api: ApiDeps;
  files: ReturnType<typeof loadStatic>;
  clients: ClientResolver;
}

export async function route(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (deps.translator.config.testFaults && faults(req, res)) return;
  if (path === '/healthz') return healthz(deps.translator, req, res, isOperator(deps, req));
  const challenge = deps.translator.acme.answer(path); // ACME HTTP-01 (RFC 8555 §8.3)
  if (challenge !== undefined) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(challenge);
    return;
  }
  if (path === '/metrics') return metrics(deps.translator, req, res, isOperator(deps, req));
  if (path.startsWith('/api/')) return api(deps.api, req, res, path);
  if (serveStatic(deps.files, req, res, path)) return;
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
}

const isOperator = (deps: RouteDeps, req: IncomingMessage): boolean => isOperatorOf(deps.clients.of(req), req, deps.translator.config.metricsToken);
