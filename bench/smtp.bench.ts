// SMTP ingest (issue 5): 1, 10 and 50 concurrent connections to the real keepd, each sending
// 4 KiB messages to local users back to back on one session (MAIL, RCPT, DATA pipelined).
// Reports accepted messages/s and p50/p99 from the end-of-data dot to the 250, which core
// sends only after the durable commit. Run twice (issue 20): inbound checks off, and on
// (KEEP_INBOUND_AUTH=enforce) against a DNS stub on loopback publishing the sender's SPF, DKIM
// key and DMARC policy, with every message DKIM-signed (a pool signed before the clock starts).
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Store } from '../src/store/index.ts';
import { createCore, systemActor } from '../src/core/index.ts';
import { startKeep } from '../test/helpers/start-keep.ts';
import { summarize } from './lib/stats.ts';
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { readFileSync } from 'node:fs';
import { startDnsStub } from '../test/helpers/dns-stub.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = [1, 10, 50];
const USERS = 20;

const POOL = 400;
let signedPool: string[] | undefined;

function plainBody(i: number): string {
  const header = `From: bench@remote.example\r\nTo: user${i % USERS}@bench.test\r\nSubject: bench ${i}\r\nMessage-ID: <${i}.${Date.now()}@remote.example>\r\n\r\n`;
  const line = `${'x'.repeat(70)}\r\n`;
  return header + line.repeat(Math.ceil((4096 - header.length) / line.length));
}

function body(i: number): string {
  return signedPool ? signedPool[i % POOL]! : plainBody(i);
}

/**
 * CPU seconds the worker has used (user + system, from /proc), so the cost of the checks per
 * message can be read even on a machine shared with other work, where rates move with the load.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A key for remote.example, its DNS records, and POOL messages signed with it. */
async function signedSender(): Promise<{ txt: Record<string, string[]>; pool: string[] }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const pool: string[] = [];
  for (let i = 0; i < POOL; i++) {
    const raw = plainBody(i);
    const { signatures } = await dkimSign(raw, { signingDomain: 'remote.example', selector: 'bench', privateKey: pem });
    pool.push(signatures + raw);
  }
  const txt = {
    'remote.example': ['v=spf1 ip4:127.0.0.1 -all'],
    '_dmarc.remote.example': ['v=DMARC1; p=reject'],
    'bench._domainkey.remote.example': [`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`],
  };
  return { txt, pool };
}

/** One SMTP session that sends messages until told to stop; every wait is bounded by the socket timeout. */
class Conn {
  private buf = '';
  private waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  private lines: string[] = [];
  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.setTimeout(30_000, () => socket.destroy(new Error('bench: SMTP reply timed out')));
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        if (line[3] === '-') continue;
        const w = this.waiting.shift();
        if (w) w.resolve(line);
        else this.lines.push(line);
      }
    });
    socket.once('close', () => { for (const w of this.waiting.splice(0)) w.reject(new Error('bench: connection closed')); });
  }
  static async open(port: number): Promise<Conn> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    const c = new Conn(socket);
    await c.expect(220);
    c.socket.write('EHLO bench.example\r\n');
    await c.expect(250);
    return c;
  }
  private next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  async expect(code: number): Promise<void> {
    const line = await this.next();
    if (!line.startsWith(String(code))) throw new Error(`bench: expected ${code}, got ${line}`);
  }
  /** send one message; resolves with ms from the final dot to the 250 */
  async send(i: number): Promise<number> {
    this.socket.write(`MAIL FROM:<bench@remote.example>\r\nRCPT TO:<user${i % USERS}@bench.test>\r\nDATA\r\n`);
    await this.expect(250);
    await this.expect(250);
    await this.expect(354);
    this.socket.write(`${body(i)}.\r\n`);
    const t = performance.now();
    await this.expect(250);
    return performance.now() - t;
  }
  close() { this.socket.end('QUIT\r\n'); }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'keep-bench-smtp-'));
  const store = Store.open({ dataDir });
  const core = createCore({ store, log: pino({ level: 'silent' }), settings: { domain: 'bench.test', localDomains: [], nodeName: 'bench', humanNode: 'Bench', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000 } });
  await core.seed({ name: 'admin', password: 'admin-secret' });
  for (let u = 0; u < USERS; u++) await core.users.create(systemActor('bench'), { name: `user${u}`, password: 'pw' });
  await store.close();
  const sender = await signedSender();
  const dns = await startDnsStub({ TXT: sender.txt });
  const modes: { label: string; env: Record<string, string>; pool: string[] | undefined }[] = [
    { label: 'checks off', env: { KEEP_INBOUND_AUTH: 'off' }, pool: undefined },
    { label: 'checks on ', env: { KEEP_INBOUND_AUTH: 'enforce', KEEP_DNS_SERVERS: dns.server }, pool: sender.pool },
  ];
  let seq = 0;
  try {
    for (const mode of modes) {
      signedPool = mode.pool;
      const keep = await startKeep({ dataDir, env: { KEEP_DOMAIN: 'bench.test', KEEP_LOG_LEVEL: 'info', ...mode.env } });
      try {
        const pid = await keep.workerPid();
        for (const n of CONNECTIONS) {
          const conns = await Promise.all(Array.from({ length: n }, () => Conn.open(keep.ports.smtp)));
          const latencies: number[] = [];
          const cpuBefore = cpuSeconds(pid);
          const started = performance.now();
          const end = started + SECONDS * 1000;
          await Promise.all(conns.map(async (c) => {
            while (performance.now() < end) latencies.push(await c.send(seq++));
          }));
          const s = summarize(latencies, performance.now() - started);
          const cpuMs = ((cpuSeconds(pid) - cpuBefore) * 1000) / Math.max(1, s.count);
          process.stdout.write(`smtp ingest, ${mode.label}, ${String(n).padStart(2)} connection(s), 4 KiB: ${s.perSecond} msgs/s  p50 ${s.p50} ms  p99 ${s.p99} ms  worker CPU ${cpuMs.toFixed(2)} ms/msg  (${s.count} messages)\n`);
          conns.forEach((c) => c.close());
        }
      } finally {
        await keep.stop();
      }
    }
  } finally {
    await dns.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
