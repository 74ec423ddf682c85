// The HTTP listener (and HTTPS, KEEP_HTTPS_PORT, with the certificate of the other listeners):
// /healthz, /metrics, the web client (clients/web), the JSON API and the WebSocket chat at /ws
// (protocol/websocket.md). ws frames; core decides and stores.
import http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Translator, TranslatorDeps } from '../types.ts';
import { AddressLimit } from '../../net/address-limit.ts';
import { currentWork } from '../../net/current-work.ts';
import { CLOSE } from './errors.ts';
import { Hub } from './hub.ts';
import { route } from './routes.ts';
import { LoginSessions } from './sessions.ts';
import { loadStatic } from './static.ts';
import { onUpgrade } from './upgrade.ts';
import { ClientResolver } from './client.ts';
import { upgradeToTls } from '../../net/tls.ts';
import type { WsLimits } from './ws-session.ts';

export function start(deps: TranslatorDeps): Translator {
  const { core, config, metrics } = deps;
  const log = deps.log.child({ proto: 'http' });
  const wsLog = deps.log.child({ proto: 'chat' });
  const limits: WsLimits = {
    maxBuffered: config.wsMaxBuffered, rate: config.wsRateLimit, maxBadFrames: config.wsMaxBadFrames, maxPayload: config.wsMaxPayload,
  };
  const hub = new Hub({ core, log: wsLog, metrics, pingIntervalMs: config.wsPingInterval });
  const sessions = new LoginSessions({
    core, ttlMs: config.httpSessionTtl * 1000,
    onEnd: (s, reason) => hub.endLogin(s.id, { logout: 'logged out', expired: 'session expired', revoked: 'session ended' }[reason]),
    onError: (err) => log.error({ err }, 'web session bookkeeping failed'),
  });
  // no compression: per-connection zlib state costs far more memory than chat lines save
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.wsMaxPayload, perMessageDeflate: false, clientTracking: false });
  const files = loadStatic();
  if (files.size === 0) log.warn('clients/web not found; serving the API and WebSocket only');

  const clients = new ClientResolver(config.trustedProxies);
  const routeDeps = {
    translator: deps, files, clients,
    api: { core, log, sessions, ttlSeconds: config.httpSessionTtl, clients, allowCleartextLogin: config.httpAllowCleartextLogin },
  };
  // connectionsCheckingInterval: how often header and request timeouts are checked
  /** connection ids for the current-work record (the watchdog names the request that stalled) */
  const cids = new WeakMap<object, number>();
  let nextCid = 1;
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    metrics.inc('keep_http_requests_total', 'HTTP requests');
    let cid = cids.get(req.socket);
    if (cid === undefined) cids.set(req.socket, (cid = nextCid++));
    const work = { proto: 'http', cid, cmd: `${req.method ?? '?'} ${(req.url ?? '/').split('?')[0]!.slice(0, 60)}` };
    currentWork.begin(work);
    route(routeDeps, req, res).catch((err: unknown) => {
      log.error({ err }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    }).finally(() => currentWork.end(work));
  });
  const wsPerClient = new Map<string, number>();
  const output = { maxBuffered: config.sessionMaxBuffered, stallMs: config.sessionStallTimeout * 1000 };
  server.on('upgrade', (req, socket, head) => onUpgrade({ core, log: wsLog, metrics, hub, wss, sessions, limits, clients, perClient: wsPerClient, maxPerClient: config.maxConnectionsPerAddress, output }, req, socket, head));
  server.headersTimeout = config.httpHeadersTimeout * 1000;
  server.requestTimeout = Math.max(60_000, server.headersTimeout);
  server.keepAliveTimeout = 5_000;
  // Node starts checking those timeouts when a server starts listening; this one never listens
  // (the supervisor owns the port and hands sockets in with emit('connection')), so start the
  // checks here, or a client trickling its headers would never be cut off (issue 16)
  server.emit('listening');

  const perAddress = new AddressLimit(() => config.maxConnectionsPerAddress);
  metrics.gauge('keep_ws_connections', 'open WebSocket chat connections', () => hub.count());
  metrics.gauge('keep_web_sessions', 'web login sessions in the store', () => core.webSessions.count());
  metrics.gauge('process_resident_memory_bytes', 'worker resident set size', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_used_bytes', 'worker V8 heap in use', () => process.memoryUsage().heapUsed);

  return {
    listeners: ['http', 'https'],
    handle(socket: Socket, listener) {
      // connections per address, HTTP and WebSocket alike (KEEP_MAX_CONNECTIONS_PER_ADDRESS); a
      // trusted proxy carries many clients, whose WebSockets are counted per client at upgrade
      const host = socket.remoteAddress ?? 'unknown';
      if (!clients.isTrusted(host) && !perAddress.take(socket, 'http')) {
        log.warn({ host }, 'refused: too many connections from one address');
        socket.on('error', () => socket.destroy());
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (listener !== 'https') {
        server.emit('connection', socket);
        return;
      }
      const secure = upgradeToTls(socket, deps.tls);
      secure.on('error', (err) => log.debug({ err: err.message, host }, 'https connection error'));
      server.emit('connection', secure);
    },
    async close() {
      hub.close('server shutting down');
      sessions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log.debug({ code: CLOSE.goingAway }, 'http listener closed');
    },
  };
}
