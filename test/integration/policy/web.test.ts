// The web listener and secrets on the wire: no password over plain HTTP from another machine,
// an HTTPS listener whose cookie is Secure, KEEP_TRUSTED_PROXIES so the throttle sees the real
// client, /metrics and the detail of /healthz for operators only, and room passwords throttled
// and audited over native GOTO. "Another machine" is a client named by X-Forwarded-For through
// the trusted proxy 127.0.0.1; 127.0.0.2 is a loopback peer that is not trusted.
import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep;
let base: string;
const clients: NativeClient[] = [];
beforeAll(async () => {
  keep = await startKeep({
    env: { KEEP_TRUSTED_PROXIES: '127.0.0.1', KEEP_HTTPS_PORT: '0', KEEP_METRICS_TOKEN: 'op-token', KEEP_AUTH_FAILURE_LIMIT: '3' },
  });
  base = `http://127.0.0.1:${keep.ports.http}`;
  const admin = await NativeClient.connect(keep.ports.native);
  clients.push(admin);
  expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
  for (const u of ['alice', 'bob']) expect((await admin.cmd(`CREU ${u}|${u}-pw`)).code).toBe(200);
  expect((await admin.cmd('CRE8 1|Vault|2|open-sesame|0')).code).toBe(200);
}, 300_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await keep?.stop();
});

interface Answer { status: number; setCookie: string; body: string }

/** POST /api/login with plain fetch, as the client `via` X-Forwarded-For says (through the trusted proxy). */
async function login(user: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close', ...headers }, body: JSON.stringify({ user, password }) });
  return { status: res.status, setCookie: res.headers.get('set-cookie') ?? '', body: await res.text() };
}

/** A request from 127.0.0.2: a loopback peer that is not a trusted proxy. */
function fromUntrusted(path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: keep.ports.http, path, method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: String(res.headers['set-cookie'] ?? ''), body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function overHttps(path: string, method: string, body?: string): Promise<Answer> {
  const port = (keep.ports as unknown as Record<string, number>).https!;
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method, rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: String(res.headers['set-cookie'] ?? ''), body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('web login over plain HTTP', () => {
  it('takes a loopback login and sets no Secure on the cookie', async () => {
    const r = await login('alice', 'alice-pw');
    expect(r.status).toBe(200);
    expect(r.setCookie).not.toMatch(/Secure/);
  });

  it('refuses a login from another machine without checking the password, and logs who and where', async () => {
    const r = await login('alice', 'alice-pw', { 'x-forwarded-for': '203.0.113.7' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect(r.setCookie).toBe('');
    const log = await keep.waitForLog((l) => l.msg === 'refused: a password over plain HTTP from another machine');
    expect(log).toMatchObject({ user: 'alice', origin: 'web:203.0.113.7' });
  });

  it('takes it when the trusted proxy says the client used HTTPS, and marks the cookie Secure', async () => {
    const r = await login('alice', 'alice-pw', { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(r.setCookie).toMatch(/; Secure/);
  });
});

describe('the HTTPS listener', () => {
  it('serves the API with the listeners\' certificate and sets Secure on the cookie', async () => {
    const r = await overHttps('/api/login', 'POST', JSON.stringify({ user: 'bob', password: 'bob-pw' }));
    expect(r.status).toBe(200);
    expect(r.setCookie).toMatch(/^keep_session=.*; HttpOnly; SameSite=Strict; .*Secure/);
    expect(JSON.parse((await overHttps('/healthz', 'GET')).body)).toMatchObject({ status: 'ok' });
  });
});

describe('KEEP_TRUSTED_PROXIES', () => {
  it('throttles the client named by the trusted proxy, not every client behind it', async () => {
    const mallory = { 'x-forwarded-for': '198.51.100.66', 'x-forwarded-proto': 'https' };
    for (let i = 0; i < 3; i++) expect((await login('nobody', `guess${i}`, mallory)).status).toBe(401);
    expect((await login('bob', 'bob-pw', mallory)).status).toBe(429);
    expect((await login('bob', 'bob-pw', { 'x-forwarded-for': '198.51.100.67', 'x-forwarded-proto': 'https' })).status).toBe(200);
    // a forged hop left of the real client changes nothing: the right-most untrusted address counts
    expect((await login('bob', 'bob-pw', { 'x-forwarded-for': '10.1.1.1, 198.51.100.66', 'x-forwarded-proto': 'https' })).status).toBe(429);
  });

  it('ignores X-Forwarded-For from a peer that is not trusted', async () => {
    const body = (pw: string) => JSON.stringify({ user: 'nobody-else', password: pw });
    for (let i = 0; i < 3; i++) expect((await fromUntrusted('/api/login', body(`g${i}`), { 'x-forwarded-for': `192.0.2.${i}` })).status).toBe(401);
    expect((await fromUntrusted('/api/login', JSON.stringify({ user: 'bob', password: 'bob-pw' }), { 'x-forwarded-for': '192.0.2.99' })).status).toBe(429);
  });
});

describe('/metrics and /healthz', () => {
  it('gives loopback clients everything, others the bare status, and the token opens the rest', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    const detail = await (await fetch(`${base}/healthz`)).json() as Record<string, unknown>;
    expect(detail).toHaveProperty('worker.pid');
    const far = { 'x-forwarded-for': '203.0.113.9' };
    expect((await fetch(`${base}/metrics`, { headers: far })).status).toBe(403);
    expect(await (await fetch(`${base}/healthz`, { headers: far })).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/metrics`, { headers: { ...far, authorization: 'Bearer wrong' } })).status).toBe(403);
    const withToken = await fetch(`${base}/metrics`, { headers: { ...far, authorization: 'Bearer op-token' } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('keep_connections');
    expect(await (await fetch(`${base}/healthz`, { headers: { ...far, authorization: 'Bearer op-token' } })).json()).toHaveProperty('restarts');
  });
});

describe('room passwords over native GOTO', () => {
  it('throttles wrong guesses, logs them and shows them in the audit trail', async () => {
    const eve = await NativeClient.connect(keep.ports.native);
    clients.push(eve);
    expect((await eve.cmd('NEWU Eve')).code).toBe(200);
    for (const g of ['a', 'b', 'c']) expect((await eve.cmd(`GOTO Vault|${g}`)).raw).toBe('540 wrong or missing passwd');
    expect((await eve.cmd('GOTO Vault|open-sesame')).raw).toBe('511 Too many wrong room passwords; try again later.');
    const log = await keep.waitForLog((l) => l.msg === 'wrong room password');
    expect(log).toMatchObject({ user: 'Eve', origin: 'native:127.0.0.1', room: 'Vault' });
    const trail = JSON.parse((await keep.cli(['audit', '--json'])).stdout) as { actor: string; action: string; target: string }[];
    expect(trail.filter((e) => e.action === 'room.password-failed').map((e) => `${e.actor}@${e.target}`)).toEqual(['Eve@Vault', 'Eve@Vault', 'Eve@Vault']);
    // the room's aide (here the aide who made it) sees them over the wire; Eve may not
    const admin = clients[0]!;
    expect((await admin.cmd('GOTO Vault')).code).toBe(200);
    const seen = await admin.cmd('RPWF');
    expect(seen.code).toBe(100);
    expect(seen.lines.map((l) => l.split('|').slice(1).join('|'))).toEqual(['Eve|native:127.0.0.1', 'Eve|native:127.0.0.1', 'Eve|native:127.0.0.1']);
    expect((await eve.cmd('RPWF')).code).toBe(550);
    const export_ = (await keep.cli(['export'])).stdout;
    expect(export_).toContain('"passwordHash":"scrypt$');
    expect(export_).not.toContain('open-sesame');
  }, 120_000);
});
