// The JSON API (protocol/websocket.md §HTTP API): log in and out, who am I, rooms with unread
// counts, a room's chat history, who is online. Each route calls core, which checks access.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor, Core } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import { sessionCookie } from './cookies.ts';
import { ChatError, toErrorReply } from './errors.ts';
import { ClientResolver, mayLogIn } from './client.ts';
import { readJson, sendError, sendJson } from './http-io.ts';
import { whoList, wireLine } from './render.ts';
import type { LoginSessions } from './sessions.ts';

export interface ApiDeps {
  core: Core;
  log: Logger;
  sessions: LoginSessions;
  ttlSeconds: number;
  clients: ClientResolver;
  /** KEEP_HTTP_ALLOW_CLEARTEXT_LOGIN: passwords over plain HTTP from other machines */
  allowCleartextLogin: boolean;
}

type Route = (deps: ApiDeps, req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>;

const HISTORY_MAX = 200;

function requireActor(deps: ApiDeps, req: IncomingMessage): Extract<Actor, { kind: 'user' }> {
  const s = deps.sessions.fromRequest(req);
  const actor = s ? deps.sessions.actorOf(s) : undefined;
  if (!actor || actor.kind !== 'user') throw new ChatError('not-logged-in', 'Log in first.');
  return actor;
}

const login: Route = async (deps, req, res) => {
  const body = await readJson(req);
  if (typeof body.user !== 'string' || typeof body.password !== 'string' || body.user.length > 100 || body.password.length > 256) {
    throw new ChatError('invalid', "Send 'user' and 'password' as strings.");
  }
  const client = deps.clients.of(req);
  const origin = `web:${client.address}`;
  if (!mayLogIn(client, deps.allowCleartextLogin)) {
    deps.log.warn({ user: body.user, origin }, 'refused: a password over plain HTTP from another machine');
    throw new ChatError('forbidden', 'Log in over HTTPS: passwords are not taken over plain HTTP from other machines.');
  }
  const { user } = await deps.core.users.authenticate({ name: body.user, password: body.password, origin });
  const { session, token } = await deps.sessions.create({ kind: 'user', usernum: user.usernum, name: user.name, level: user.level, origin }, origin);
  sendJson(res, 200, { user: { name: user.name, level: user.level }, expires: session.expires }, {
    // Secure wherever the browser's leg is TLS (our HTTPS listener, or a trusted proxy's)
    'set-cookie': sessionCookie(token, { maxAgeSeconds: deps.ttlSeconds, isSecure: client.isSecure }),
  });
};

const logout: Route = async (deps, req, res) => {
  const s = deps.sessions.fromRequest(req);
  if (s) await deps.sessions.end(s.id, 'logout');
  res.writeHead(204, { 'set-cookie': sessionCookie('', { maxAgeSeconds: 0, isSecure: deps.clients.of(req).isSecure }), 'cache-control': 'no-store' });
  res.end();
};

const me: Route = async (deps, req, res) => {
  const actor = requireActor(deps, req);
  sendJson(res, 200, { user: { name: actor.name, level: actor.level } });
};

const rooms: Route = async (deps, req, res) => {
  const actor = requireActor(deps, req);
  const list = deps.core.rooms.list(actor, 'known').filter((l) => l.room.kind !== 'mailbox');
  sendJson(res, 200, {
    rooms: list.map((l) => ({ name: l.room.name, kind: l.room.kind, unread: l.unread, total: l.total, floor: l.room.floor })),
  });
};

const history: Route = async (deps, req, res, [rawName]) => {
  const actor = requireActor(deps, req);
  const name = decodeURIComponent(rawName ?? '');
  const room = deps.core.rooms.findByName(actor, name);
  if (!room || room.kind === 'mailbox') throw new ChatError('not-found', `room '${name}' not found`);
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const limit = Math.min(HISTORY_MAX, Math.max(1, Number.parseInt(q.get('limit') ?? '50', 10) || 50));
  const since = q.get('since');
  const lines = since !== null && /^\d+$/.test(since)
    ? deps.core.chat.since(actor, room.roomnum, Number(since), limit)
    : deps.core.chat.recent(actor, room.roomnum, limit);
  sendJson(res, 200, { room: room.name, kind: room.kind, messages: lines.map(wireLine) });
};

const who: Route = async (deps, req, res) => {
  requireActor(deps, req);
  sendJson(res, 200, { users: whoList(deps.core.presence.list()) });
};

const ROUTES: { method: string; path: RegExp; run: Route }[] = [
  { method: 'POST', path: /^\/api\/login$/, run: login },
  { method: 'POST', path: /^\/api\/logout$/, run: logout },
  { method: 'GET', path: /^\/api\/me$/, run: me },
  { method: 'GET', path: /^\/api\/rooms$/, run: rooms },
  { method: 'GET', path: /^\/api\/rooms\/([^/]+)\/history$/, run: history },
  { method: 'GET', path: /^\/api\/who$/, run: who },
];

/** Answer an /api/ request; every error becomes a JSON { error: { code, message } }. */
export async function api(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  try {
    const match = ROUTES.map((r) => ({ r, m: r.path.exec(path) })).filter((x) => x.m);
    if (match.length === 0) throw new ChatError('not-found', 'No such API.');
    const hit = match.find((x) => x.r.method === req.method);
    if (!hit) {
      sendJson(res, 405, { error: { code: 'invalid', message: `Use ${match.map((x) => x.r.method).join(', ')}.` } }, { allow: match.map((x) => x.r.method).join(', ') });
      return;
    }
    await hit.r.run(deps, req, res, hit.m!.slice(1));
  } catch (err) {
    sendError(res, toErrorReply(err, deps.log));
  }
}
