// The HTTP listener: /healthz, /metrics, and (issue 7) the web client, JSON API and WebSocket chat.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Translator, TranslatorDeps } from '../types.ts';
import { healthz, metrics } from './health.ts';
import { faults } from './faults.ts';

export function start(deps: TranslatorDeps): Translator {
  const log = deps.log.child({ proto: 'http' });
  const server = http.createServer((req, res) => {
    deps.metrics.inc('keep_http_requests_total', 'HTTP requests');
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (deps.config.testFaults && faults(req, res)) return;
      if (path === '/healthz') return healthz(deps, req, res);
      if (path === '/metrics') return metrics(deps, req, res);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    } catch (err) {
      log.error({ err }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    }
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return {
    listeners: ['http'],
    handle(socket: Socket) {
      server.emit('connection', socket);
    },
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
