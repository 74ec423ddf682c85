// The WebSocket endpoint /ws on the existing HTTP server (ws noServer + handleUpgrade): only a
// logged-in browser session from this origin gets a connection; everything else gets an HTTP
// refusal before any WebSocket exists.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Core } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import type { Metrics } from '../../net/metrics.ts';
import type { Hub } from './hub.ts';
import type { LoginSessions } from './sessions.ts';
import type { ClientResolver } from './client.ts';
import { WsSession, type WsLimits } from './ws-session.ts';
import { guardOutput } from '../../net/output-guard.ts';
import type { Socket } from 'node:net';
import { CLOSE } from './errors.ts';

export interface UpgradeDeps {
  core: Core;
  log: Logger;
  metrics: Metrics;
  hub: Hub;
  wss: WebSocketServer;
  sessions: LoginSessions;
  limits: WsLimits;
  clients: ClientResolver;
  /** WebSockets per client that came through a trusted proxy (the socket cap sees only the proxy) */
  perClient: Map<string, number>;
  maxPerClient: number;
  /** the session output bound and stall rule (KEEP_SESSION_MAX_BUFFERED, KEEP_SESSION_STALL_TIMEOUT) */
  output: { maxBuffered: number; stallMs: number };
}

function refuse(socket: Duplex, status: number, text: string, code: string): void {
  const body = JSON.stringify({ error: { code, message: text } });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * A browser always sends Origin on a WebSocket handshake; one from another site is refused
 * (cross-site WebSocket hijacking). Tools that send none are judged by the cookie alone.
 */
function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function onUpgrade(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', (err) => deps.log.debug({ err: err.message }, 'upgrade socket error'));
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/ws') return refuse(socket, 404, 'Not Found', 'not-found');
  if (!isSameOrigin(req)) return refuse(socket, 403, 'Forbidden', 'forbidden');
  const login = deps.sessions.fromRequest(req);
  const actor = login ? deps.sessions.actorOf(login) : undefined;
  if (!login || !actor || actor.kind !== 'user') return refuse(socket, 401, 'Unauthorized', 'not-logged-in');
  const client = deps.clients.of(req);
  const host = client.address;
  if (client.isProxied) {
    const open = deps.perClient.get(host) ?? 0;
    if (open >= deps.maxPerClient) {
      deps.log.warn({ host, open, user: actor.name }, 'refused: too many connections from one address');
      return refuse(socket, 503, 'Service Unavailable', 'limit');
    }
    deps.perClient.set(host, open + 1);
    socket.once('close', () => {
      const n = (deps.perClient.get(host) ?? 1) - 1;
      if (n > 0) deps.perClient.set(host, n);
      else deps.perClient.delete(host);
    });
  }
  deps.wss.handleUpgrade(req, socket, head, (ws) => {
    deps.metrics.inc('keep_ws_connections_total', 'WebSocket connections accepted');
    const presence = deps.core.presence.open({ proto: 'web', host, client: 'web' });
    presence.update({ usernum: actor.usernum, name: actor.name });
    const s = new WsSession(ws, socket, actor, login.id, presence, { core: deps.core, hub: deps.hub, log: deps.log, metrics: deps.metrics, limits: deps.limits });
    // requests (history) wait while the client is behind, as on every protocol; one that stops
    // reading is cut off after the stall timeout (issue 16)
    guardOutput(socket as Socket, {
      maxBuffered: deps.output.maxBuffered, stallMs: deps.output.stallMs, log: s.log,
      onStall: () => {
        deps.metrics.inc('keep_ws_slow_consumers_total', 'WebSocket clients cut off for not reading');
        s.close(CLOSE.slowConsumer, 'slow consumer');
      },
    });
    s.start();
  });
}
