// IMAP under imaptest's stress mode (issue 19): Dovecot's own tester runs random commands from 10
// and then 30 clients on one mailbox of the real keepd, checks every answer, and reports the
// average time each command took, first with imaptest's own mix (stress.sh: every session logs
// out and in again, so each LOGIN pays a scrypt) and then with sessions held (logout=0), which
// times the other commands at full concurrency. BENCH_SECONDS (default 60) per run. With BENCH_DOVECOT_PORT
// (and BENCH_DOVECOT_USER/PASS, default stress1/testpass-1) the same runs go to that server too,
// so the table shows both side by side on this machine.
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { startKeep } from '../test/helpers/start-keep.ts';

const TOOL = join(import.meta.dirname, '..', '..', 'shared', 'tools', 'imaptest');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = [10, 30];
const COMMANDS = ['Logi', 'List', 'Stat', 'Sele', 'Fetc', 'Fet2', 'Stor', 'Dele', 'Expu', 'Appe', 'Logo'];
/** imaptest's own mix (each session logs out and in again), and sessions that stay logged in */
const MODES = [{ name: 'stress.sh', args: [] as string[] }, { name: 'held', args: ['logout=0'] }];

interface Run { server: string; mode: string; clients: number; errors: number; commands: number; ms: Record<string, number>; login?: string }

/**
 * One run of imaptest's stress mode with stress.sh's settings (its mailbox, clients, seconds) and
 * any extra state settings; the mean of imaptest's "ms/cmd avg" rows per command, and its errors.
 */
function stress(server: string, port: number, user: string, pass: string, clients: number, mode: typeof MODES[number]): Run {
  const args = [`host=127.0.0.1`, `port=${port}`, `user=${user}`, `pass=${pass}`, `mbox=${join(TOOL, 'stress.mbox')}`, `clients=${clients}`, `secs=${SECONDS}`, ...mode.args];
  // imaptest prints a line per error: spawnSync's 1 MiB default would kill a run with many
  // (stress.sh wrote them to a file and had no such limit)
  const r = spawnSync(join(TOOL, 'bin', 'imaptest'), args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: (SECONDS + 120) * 1000, env: { ...process.env, LD_LIBRARY_PATH: join(TOOL, 'lib') } });
  if (r.error) process.stderr.write(`${server} ${mode.name} ${clients} clients: imaptest did not run to its end (${r.error.message}); its figures are partial\n`);
  const lines = `${r.stdout}${r.stderr}`.split('\n');
  const rows = lines.filter((l) => l.endsWith('ms/cmd avg')).map((l) => l.trim().split(/\s+/).slice(0, COMMANDS.length).map(Number));
  const ms = Object.fromEntries(COMMANDS.map((c, i) => [c, rows.length ? Math.round(rows.reduce((sum, row) => sum + (row[i] ?? 0), 0) / rows.length) : NaN]));
  const at = lines.lastIndexOf('Totals:');
  const counts = at >= 0 ? (lines[at + 4] ?? '').trim().split(/\s+/).map(Number) : [];
  const errors = lines.filter((l) => l.startsWith('Error:')).length;
  return { server, mode: mode.name, clients, errors, commands: counts.reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0), ms };
}

/** Keep's password-hash counters from /metrics: how many, and the seconds waited and hashed. */
async function hashCounters(httpPort: number): Promise<{ hashes: number; wait: number; hash: number }> {
  // a connection of its own: a pooled one would have gone stale while spawnSync held the loop
  const text = await new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port: httpPort, path: '/metrics', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve(body)).on('error', reject);
    }).on('error', reject);
  });
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { hashes: read('keep_password_hashes_total'), wait: read('keep_password_hash_wait_seconds_total'), hash: read('keep_password_hash_seconds_total') };
}

function print(runs: Run[]): void {
  const head = ['server', 'mode', 'clients', 'errors', 'commands', ...COMMANDS.map((c) => `${c} ms`)];
  process.stdout.write(`${head.join('\t')}\n`);
  for (const r of runs) process.stdout.write(`${[r.server, r.mode, r.clients, r.errors, r.commands, ...COMMANDS.map((c) => r.ms[c])].join('\t')}\n`);
  for (const r of runs) if (r.login) process.stdout.write(`${r.server} ${r.mode} ${r.clients} clients: LOGIN ${r.ms.Logi} ms = ${r.login}\n`);
}

const runs: Run[] = [];
const keep = await startKeep({ env: { KEEP_REGISTRATION_PER_HOUR: '0', KEEP_AUTH_FAILURE_LIMIT: '1000' } });
try {
  const made = spawnSync(join(import.meta.dirname, '..', 'test', 'imaptest', 'adduser.sh'), [String(keep.ports.native), 'stress1', 'testpass-1'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`adding the stress user failed: ${made.stderr}`);
  for (const mode of MODES) {
    for (const clients of CLIENTS) {
      const before = await hashCounters(keep.ports.http);
      const run = stress('keep', keep.ports.imap, 'stress1', 'testpass-1', clients, mode);
      const after = await hashCounters(keep.ports.http);
      const n = after.hashes - before.hashes;
      if (n > 0) {
        // the split the issue asks for: the wait for a hashing turn, the scrypt itself, the rest
        const wait = ((after.wait - before.wait) / n) * 1000;
        const hash = ((after.hash - before.hash) / n) * 1000;
        run.login = `${Math.round(wait)} waiting for a hash turn + ${Math.round(hash)} scrypt + ${Math.max(0, Math.round(run.ms.Logi! - wait - hash))} the rest (${n} hashes)`;
      }
      runs.push(run);
    }
  }
} finally {
  await keep.stop();
}
const dovecot = process.env.BENCH_DOVECOT_PORT;
if (dovecot) {
  for (const mode of MODES) {
    for (const clients of CLIENTS) runs.push(stress('dovecot', Number(dovecot), process.env.BENCH_DOVECOT_USER ?? 'stress1', process.env.BENCH_DOVECOT_PASS ?? 'testpass-1', clients, mode));
  }
}
process.stdout.write(`imaptest stress, ${SECONDS} s per run; ms = mean of imaptest's per-interval "ms/cmd avg" rows; held = logout=0 (sessions stay logged in)\n`);
print(runs);
