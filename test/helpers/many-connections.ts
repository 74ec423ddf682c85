// Open many idle client connections spread over the native, IMAP and WebSocket listeners, from
// several 127.0.0.x source addresses; used by the connection test and the benchmark (issue 10).
import net from 'node:net';
import WebSocket from 'ws';
import type { Keep } from './start-keep.ts';

export interface Held {
  native: net.Socket[];
  imap: net.Socket[];
  ws: WebSocket[];
  close(): void;
}

const SOURCES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

/** Connect and wait for the protocol's greeting; rejects after timeoutMs. */
function greeted(port: number, localAddress: string, prefix: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    const t = setTimeout(() => { s.destroy(); reject(new Error(`no greeting on ${port} from ${localAddress}`)); }, timeoutMs);
    s.once('data', (d) => {
      clearTimeout(t);
      if (d.toString().startsWith(prefix)) resolve(s);
      else {
        s.destroy();
        reject(new Error(`unexpected greeting: ${d.toString().slice(0, 60)}`));
      }
    });
    s.on('error', (e) => { clearTimeout(t); reject(e); });
  });
}

function wsOpen(port: number, cookie: string, localAddress: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie }, localAddress });
    const t = setTimeout(() => { ws.terminate(); reject(new Error('websocket did not open')); }, timeoutMs);
    ws.once('open', () => { clearTimeout(t); resolve(ws); });
    ws.once('error', (e) => { clearTimeout(t); reject(e); });
  });
}

/** A session cookie for the web endpoint. */
export async function webCookie(keep: Keep, user: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${keep.ports.http}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });
  const set = res.headers.get('set-cookie');
  if (res.status !== 200 || !set) throw new Error(`web login failed: ${res.status}`);
  return set.split(';')[0]!;
}

/** Open `total` idle connections, a third per listener, at most `parallel` opening at once. */
export async function holdConnections(keep: Keep, total: number, opts: { parallel?: number; cookie: string; timeoutMs?: number }): Promise<Held> {
  const held: Held = {
    native: [], imap: [], ws: [],
    close() {
      for (const s of [...held.native, ...held.imap]) s.destroy();
      for (const w of held.ws) w.terminate();
    },
  };
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let next = 0;
  const one = async (i: number) => {
    const from = SOURCES[i % SOURCES.length]!;
    switch (i % 3) {
      case 0: held.native.push(await greeted(keep.ports.native, from, '200', timeoutMs)); break;
      case 1: held.imap.push(await greeted(keep.ports.imap, from, '* OK', timeoutMs)); break;
      default: held.ws.push(await wsOpen(keep.ports.http, opts.cookie, from, timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: opts.parallel ?? 200 }, async () => {
    while (next < total) await one(next++);
  }));
  return held;
}

/** Are all held connections still open? */
export function allOpen(h: Held): boolean {
  return [...h.native, ...h.imap].every((s) => !s.destroyed && s.readyState === 'open') && h.ws.every((w) => w.readyState === WebSocket.OPEN);
}
