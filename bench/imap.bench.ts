// IMAP (issue 6): a 10,000-message INBOX served by the real keepd; 1 and 20 concurrent sessions
// each run SELECT, FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE), UID FETCH BODY.PEEK[] of random
// messages, UID SEARCH (flags only, and a header search), UID STORE +FLAGS/-FLAGS back to back
// for a few seconds per command. Reports operations/s and p50/p99 latency per command.
// BENCH_MESSAGES and BENCH_SECONDS shrink or grow it; BENCH_IMAP_PORT measures another server
// (e.g. Dovecot) with BENCH_IMAP_USER / BENCH_IMAP_PASS and an INBOX filled the same way.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Store } from '../src/store/index.ts';
import { createCoreWithInternals, systemActor } from '../src/core/index.ts';
import { startKeep } from '../test/helpers/start-keep.ts';
import { summarize } from './lib/stats.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SESSIONS = [1, 20];

function message(i: number): Buffer {
  const body = `Message ${i} of the benchmark.\r\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n'.repeat(20)}`;
  return Buffer.from(`From: Sender ${i % 50} <sender${i % 50}@remote.example>\r\nTo: Alice <alice@bench.test>\r\nSubject: bench message ${i}\r\nDate: ${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}\r\nMessage-ID: <${i}.bench@remote.example>\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${body}`);
}

/** A minimal IMAP client: one command at a time, reply read up to its tagged line. */
class Conn {
  private buf = '';
  private from = 0;
  private wait: { tag: string; resolve: (s: string) => void; reject: (e: Error) => void } | undefined;
  private n = 0;
  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.setTimeout(60_000, () => socket.destroy(new Error('bench: IMAP reply timed out')));
    socket.on('data', (d: Buffer) => {
      // only the new bytes (and a tag's length before them) can complete the tagged line
      this.from = Math.max(0, this.buf.length - 32);
      this.buf += d.toString('latin1');
      this.check();
    });
    socket.once('close', () => this.wait?.reject(new Error('bench: connection closed')));
  }

  private check(): void {
    if (!this.wait) return;
    const marker = `${this.wait.tag} `;
    const at = this.buf.startsWith(marker) ? 0 : this.buf.indexOf(`\r\n${marker}`, this.from);
    if (at < 0) return;
    const start = at === 0 ? 0 : at + 2;
    const end = this.buf.indexOf('\r\n', start);
    if (end < 0) return;
    const all = this.buf.slice(0, end + 2);
    this.buf = this.buf.slice(end + 2);
    const w = this.wait;
    this.wait = undefined;
    const status = all.slice(start + marker.length, start + marker.length + 3);
    if (status.startsWith('OK')) w.resolve(all);
    else w.reject(new Error(`bench: ${all.slice(start, end)}`));
  }

  static async open(port: number, user: string, pass: string): Promise<Conn> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    const c = new Conn(socket);
    await c.cmd(`LOGIN ${user} ${pass}`);
    return c;
  }

  cmd(text: string): Promise<string> {
    const tag = `b${++this.n}`;
    return new Promise((resolve, reject) => {
      this.wait = { tag, resolve, reject };
      this.socket.write(`${tag} ${text}\r\n`);
    });
  }

  close(): void {
    this.socket.end('z LOGOUT\r\n');
  }
}

async function fill(dataDir: string): Promise<void> {
  const store = Store.open({ dataDir });
  const { core, internals } = createCoreWithInternals({ store, log: pino({ level: 'silent' }), settings: { domain: 'bench.test', localDomains: [], nodeName: 'bench', humanNode: 'Bench', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000 } });
  await core.seed({ name: 'admin', password: 'admin-secret' });
  const system = systemActor('bench');
  const alice = await core.users.create(system, { name: 'alice', password: 'alice-pw' });
  const inbox = core.rooms.mailbox(alice.usernum, 'inbox').roomnum;
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, MESSAGES - i) }, (_, k) => internals.messages.deliver(system, { kind: 'external', raw: message(i + k), roomnums: [inbox] })));
  }
  process.stdout.write(`filled INBOX with ${MESSAGES} messages in ${Math.round(performance.now() - started)} ms\n`);
  await store.close();
}

interface Op { name: string; run(c: Conn, uids: number[]): Promise<unknown> }

const pick = (uids: number[]) => uids[Math.floor(Math.random() * uids.length)]!;
let flip = false;
const OPS: Op[] = [
  { name: 'SELECT INBOX', run: (c) => c.cmd('SELECT INBOX') },
  { name: 'FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)', run: (c) => c.cmd('FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)') },
  { name: 'UID FETCH <random> BODY.PEEK[]', run: (c, uids) => c.cmd(`UID FETCH ${pick(uids)} BODY.PEEK[]`) },
  { name: 'UID SEARCH UNSEEN UNFLAGGED', run: (c) => c.cmd('UID SEARCH UNSEEN UNFLAGGED') },
  { name: 'UID SEARCH FROM <sender>', run: (c) => c.cmd(`UID SEARCH FROM sender${Math.floor(Math.random() * 50)}@`) },
  { name: 'UID STORE <random> +/-FLAGS.SILENT (\\Flagged)', run: (c, uids) => c.cmd(`UID STORE ${pick(uids)} ${(flip = !flip) ? '+' : '-'}FLAGS.SILENT (\\Flagged)`) },
];

async function measure(port: number, user: string, pass: string): Promise<void> {
  for (const n of SESSIONS) {
    const conns = await Promise.all(Array.from({ length: n }, () => Conn.open(port, user, pass)));
    await Promise.all(conns.map((c) => c.cmd('SELECT INBOX')));
    const first = await conns[0]!.cmd('UID SEARCH ALL');
    const uids = (/\* SEARCH ([\d ]+)/.exec(first)?.[1] ?? '').split(' ').map(Number).filter(Boolean);
    process.stdout.write(`\n${n} session(s), INBOX of ${uids.length} messages, ${SECONDS} s per command\n`);
    for (const op of OPS) {
      const latencies: number[] = [];
      const started = performance.now();
      const end = started + SECONDS * 1000;
      await Promise.all(conns.map(async (c) => {
        for (let i = 0; i < 1_000_000 && performance.now() < end; i++) {
          const t = performance.now();
          await op.run(c, uids);
          latencies.push(performance.now() - t);
        }
      }));
      const s = summarize(latencies, performance.now() - started);
      process.stdout.write(`  ${op.name.padEnd(48)} ${String(s.perSecond).padStart(7)} ops/s  p50 ${String(s.p50).padStart(8)} ms  p99 ${String(s.p99).padStart(8)} ms  (${s.count})\n`);
    }
    conns.forEach((c) => c.close());
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_IMAP_PORT) {
    process.stdout.write(`imap bench against the server on port ${process.env.BENCH_IMAP_PORT}\n`);
    return measure(Number(process.env.BENCH_IMAP_PORT), process.env.BENCH_IMAP_USER ?? 'alice', process.env.BENCH_IMAP_PASS ?? 'alice-pw');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'keep-bench-imap-'));
  try {
    await fill(dataDir);
    const keep = await startKeep({ dataDir, env: { KEEP_DOMAIN: 'bench.test', KEEP_LOG_LEVEL: 'info' } });
    try {
      await measure(keep.ports.imap, 'alice', 'alice-pw');
    } finally {
      await keep.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
