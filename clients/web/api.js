// The JSON API (protocol/websocket.md §HTTP API). The session cookie is HttpOnly: the browser
// sends it, this code never sees it.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = data.error || {};
    throw new ApiError(res.status, e.code || 'internal', e.message || `HTTP ${res.status}`);
  }
  return data;
}

export const api = {
  login: (user, password) => call('POST', '/api/login', { user, password }),
  logout: () => call('POST', '/api/logout'),
  me: () => call('GET', '/api/me'),
  rooms: () => call('GET', '/api/rooms'),
};
