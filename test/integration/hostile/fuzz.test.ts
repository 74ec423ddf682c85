// Fuzz every listener (issue 10): random bytes, truncated and oversized commands, invalid UTF-8,
// huge literals and abrupt disconnects, bounded in count and time. The worker must never die
// (the supervisor would restart it: /healthz counts restarts) and every listener must still greet
// a well-behaved client afterwards.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const CONNECTIONS = Number(process.env.FUZZ_CONNECTIONS ?? 60);

/** A small seeded PRNG (mulberry32), so a failing run can be replayed with FUZZ_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS: Record<string, string[]> = {
  native: ['USER ', 'PASS ', 'GOTO ', 'MSGS ALL|', 'MSG0 ', 'ENT0 1||0|1|', 'SEXP ', 'RCHT enter', 'CRE8 1|', 'LKRA', 'INFO', 'STLS'],
  smtp: ['EHLO x', 'MAIL FROM:<', 'RCPT TO:<', 'DATA', 'AUTH PLAIN ', 'STARTTLS', 'BDAT 100', 'RSET'],
  imap: ['a LOGIN ', 'a SELECT ', 'a FETCH 1:* (', 'a APPEND INBOX {99999999}', 'a SEARCH ', 'a UID STORE 1 +FLAGS (', 'a IDLE', 'a AUTHENTICATE PLAIN'],
  nntp: ['GROUP ', 'ARTICLE <', 'OVER 1-', 'POST', 'AUTHINFO USER ', 'LIST ACTIVE ', 'HDR Subject ', 'STARTTLS'],
  http: ['GET / HTTP/1.1\r\nHost: x\r\n', 'POST /api/login HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{', 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\n\r\n'],
};

function payload(rand: () => number, proto: string): Buffer[] {
  const verbs = VERBS[proto]!;
  const parts: Buffer[] = [];
  const n = 1 + Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.25) parts.push(Buffer.from(Array.from({ length: Math.floor(rand() * 2048) }, () => Math.floor(rand() * 256))));
    else if (r < 0.45) parts.push(Buffer.from(`${verbs[Math.floor(rand() * verbs.length)]!}${'x'.repeat(Math.floor(rand() * 40))}\r\n`));
    else if (r < 0.6) parts.push(Buffer.from(verbs[Math.floor(rand() * verbs.length)]!.slice(0, Math.floor(rand() * 6)))); // truncated
    else if (r < 0.7) parts.push(Buffer.alloc(64 * 1024 + Math.floor(rand() * 64 * 1024), 0x41)); // oversized line
    else if (r < 0.8) parts.push(Buffer.concat([Buffer.from(verbs[0]!), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff, 0xfe]), Buffer.from('\r\n')])); // invalid UTF-8
    else if (r < 0.9) parts.push(Buffer.from('\r\n\r\n\n\r.\r\n000\n'));
    else parts.push(Buffer.from(`${verbs[Math.floor(rand() * verbs.length)]!}${'\u00e9\u4e2d\ud83d\ude00'.repeat(50)}\r\n`));
  }
  return parts;
}

/** One hostile connection: write the parts with random gaps, then vanish at a random moment. */
function attack(port: number, parts: Buffer[], rand: () => number, useTls: boolean): Promise<void> {
  return new Promise((resolve) => {
    const s: net.Socket = useTls ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(cap);
      s.destroy();
      resolve();
    };
    const cap = setTimeout(done, 3000);
    s.on('error', done);
    s.on('close', done);
    s.on('data', () => { /* whatever the server says is fine; it must not die */ });
    s.once(useTls ? 'secureConnect' : 'connect', async () => {
      for (const p of parts) {
        if (s.destroyed) return;
        s.write(p);
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 30)));
      }
      if (rand() < 0.5) s.end();
      else setTimeout(done, Math.floor(rand() * 200));
    });
  });
}

/** The first line a listener sends to a polite client (HTTP: the status line of /healthz). */
function greeting(port: number, proto: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    const t = setTimeout(() => { s.destroy(); reject(new Error(`${proto}: no greeting`)); }, 10_000);
    s.on('connect', () => { if (proto === 'http') s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'); });
    s.on('data', (d) => {
      data += d;
      if (data.includes('\n')) {
        clearTimeout(t);
        s.destroy();
        resolve(data.split('\n')[0]!);
      }
    });
    s.on('error', (e) => { clearTimeout(t); reject(e); });
  });
}

let keep: Keep;
beforeAll(async () => {
  keep = await startKeep();
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
});
afterAll(async () => { await keep?.stop(); });

const TARGETS: { name: string; proto: string; port: () => number; tls?: boolean; hello: RegExp }[] = [
  { name: 'native', proto: 'native', port: () => keep.ports.native, hello: /^200 / },
  { name: 'native-tls', proto: 'native', port: () => keep.ports['native-tls'], tls: true, hello: /./ },
  { name: 'smtp', proto: 'smtp', port: () => keep.ports.smtp, hello: /^220 / },
  { name: 'submission', proto: 'smtp', port: () => keep.ports.submission, hello: /^220 / },
  { name: 'imap', proto: 'imap', port: () => keep.ports.imap, hello: /^\* OK/ },
  { name: 'imap-tls', proto: 'imap', port: () => keep.ports['imap-tls'], tls: true, hello: /./ },
  { name: 'nntp', proto: 'nntp', port: () => keep.ports.nntp, hello: /^20[01] / },
  { name: 'http', proto: 'http', port: () => keep.ports.http, hello: /^HTTP\/1.1 200/ },
];

describe('fuzzing every listener', () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))('%s survives garbage, and still serves', async (_name, t) => {
    const rand = prng(SEED + t.name.length * 7919);
    const deadline = Date.now() + 20_000;
    for (let i = 0; i < CONNECTIONS && Date.now() < deadline; i += 10) {
      await Promise.all(Array.from({ length: 10 }, () => attack(t.port(), payload(rand, t.proto), rand, t.tls ?? false)));
    }
    if (!t.tls) expect(await greeting(t.port(), t.proto)).toMatch(t.hello);
    const h = await keep.healthz();
    expect(h.restarts, `the worker restarted while fuzzing ${t.name} (seed ${SEED})`).toBe(0);
  });
});
