// IMAP under imaptest's stress mode (issue 19): Dovecot's own tester runs random commands from 10
// and then 30 clients on one mailbox of the real keepd, checks every answer, and reports the
// average time each command took. BENCH_SECONDS (default 60) per run. With BENCH_DOVECOT_PORT
// (and BENCH_DOVECOT_USER/PASS, default stress1/testpass-1) the same runs go to that server too,
// so the table shows both side by side on this machine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startKeep } from '../test/helpers/start-keep.ts';

const TOOL = join(import.meta.dirname, '..', '..', 'shared', 'tools', 'imaptest');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = [10, 30];
const COMMANDS = ['Logi', 'List', 'Stat', 'Sele', 'Fetc', 'Fet2', 'Stor', 'Dele', 'Expu', 'Appe', 'Logo'];

interface Run { server: string; clients: number; errors: number; commands: number; ms: Record<string, number> }

/** One stress run; the mean of imaptest's "ms/cmd avg" rows per command, and its error count. */
function stress(server: string, port: number, user: string, pass: string, clients: number): Run {
  const r = spawnSync(join(TOOL, 'stress.sh'), ['--port', String(port), '--user', user, '--pass', pass, '--clients', String(clients), '--secs', String(SECONDS)], { encoding: 'utf8', timeout: (SECONDS + 120) * 1000 });
  const file = /full output: (\S+)/.exec(r.stdout)?.[1];
  const full = file ? spawnSync('cat', [file], { encoding: 'utf8' }).stdout : '';
  const rows = full.split('\n').filter((l) => l.endsWith('ms/cmd avg')).map((l) => l.trim().split(/\s+/).slice(0, COMMANDS.length).map(Number));
  const ms = Object.fromEntries(COMMANDS.map((c, i) => [c, rows.length ? Math.round(rows.reduce((s, row) => s + (row[i] ?? 0), 0) / rows.length) : NaN]));
  const totals = full.split('\n');
  const at = totals.lastIndexOf('Totals:');
  const counts = at >= 0 ? (totals[at + 4] ?? '').trim().split(/\s+/).map(Number) : [];
  const errors = Number(/errors: (\d+)/.exec(r.stdout)?.[1] ?? NaN);
  return { server, clients, errors, commands: counts.reduce((s, n) => s + (Number.isFinite(n) ? n : 0), 0), ms };
}

function print(runs: Run[]): void {
  const head = ['server', 'clients', 'errors', 'commands', ...COMMANDS.map((c) => `${c} ms`)];
  process.stdout.write(`${head.join('\t')}\n`);
  for (const r of runs) process.stdout.write(`${[r.server, r.clients, r.errors, r.commands, ...COMMANDS.map((c) => r.ms[c])].join('\t')}\n`);
}

const runs: Run[] = [];
const keep = await startKeep({ env: { KEEP_REGISTRATION_PER_HOUR: '0', KEEP_AUTH_FAILURE_LIMIT: '1000' } });
try {
  const made = spawnSync(join(import.meta.dirname, '..', 'test', 'imaptest', 'adduser.sh'), [String(keep.ports.native), 'stress1', 'testpass-1'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`adding the stress user failed: ${made.stderr}`);
  for (const clients of CLIENTS) runs.push(stress('keep', keep.ports.imap, 'stress1', 'testpass-1', clients));
} finally {
  await keep.stop();
}
const dovecot = process.env.BENCH_DOVECOT_PORT;
if (dovecot) {
  for (const clients of CLIENTS) runs.push(stress('dovecot', Number(dovecot), process.env.BENCH_DOVECOT_USER ?? 'stress1', process.env.BENCH_DOVECOT_PASS ?? 'testpass-1', clients));
}
process.stdout.write(`imaptest stress, ${SECONDS} s per run; ms = mean of imaptest's per-interval "ms/cmd avg" rows\n`);
print(runs);
