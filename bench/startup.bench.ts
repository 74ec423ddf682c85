// Start-up cost (issue 21): `keepd --help`, and a cold worker (a new process loading every module,
// opening the store, starting every translator) on a data directory a first start has prepared.
// Each figure for the shipped launcher (bin/keepd.js) and for the tsx development route, so a
// "before" (sources compiled through tsx at every start) and an "after" come from one run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { percentile } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LAUNCHERS: Record<string, string[]> = {
  'bin/keepd.js': [join(ROOT, 'bin/keepd.js')],
  'tsx (development)': ['--import', 'tsx', join(ROOT, 'src/cli/keepd.ts')],
};

function median(xs: number[]): number {
  return Math.round(percentile([...xs].sort((a, b) => a - b), 50));
}

/**
 * CPU seconds (user + system) a process has used, from /proc: on a machine shared with other jobs
 * the wall clock mostly measures the queue for a core, the CPU time what the start-up itself costs.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000; // utime, stime in clock ticks (USER_HZ 100)
}

/** CPU ms of `keepd --help`, through /usr/bin/time when it is installed. */
function helpCpuMs(launch: string[]): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...launch, '--help'], { cwd: ROOT, encoding: 'utf8' });
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return ((user ?? 0) + (sys ?? 0)) * 1000;
}

function helpMs(launch: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [...launch, '--help'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`keepd --help exited ${r.status}`);
  return performance.now() - t;
}

/** Start keepd serve; resolves with ms from spawn to 'worker ready' and from fork ('worker starting') to ready. */
function serveOnce(launch: string[], dataDir: string): Promise<{ total: number; worker: number; workerCpu: number }> {
  const env = {
    ...process.env, KEEP_DATA_DIR: dataDir, KEEP_BIND: '127.0.0.1', KEEP_ADMIN_PASSWORD: 'bench', KEEP_LOG_LEVEL: 'info',
    KEEP_NATIVE_PORT: '0', KEEP_NATIVE_TLS_PORT: '0', KEEP_SMTP_PORT: '0', KEEP_SUBMISSION_PORT: '0', KEEP_SUBMISSIONS_PORT: '0',
    KEEP_IMAP_PORT: '0', KEEP_IMAP_TLS_PORT: '0', KEEP_NNTP_PORT: '0', KEEP_NNTPS_PORT: '0', KEEP_HTTP_PORT: '0',
  };
  const t = performance.now();
  const p = spawn(process.execPath, [...launch, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let buf = '';
    let forkedAt = 0;
    const timer = setTimeout(() => { p.kill('SIGKILL'); rej(new Error('no worker ready in 60 s')); }, 60_000);
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
        const line = buf.slice(0, i);
        if (line.includes('"worker starting"')) forkedAt = performance.now();
        if (!line.includes('"worker ready"')) continue;
        const now = performance.now();
        // the ready line names the worker's pid; it is still running, so /proc has its CPU time
        const workerCpu = cpuMs(Number(/"pid":(\d+),"waiting"/.exec(line)?.[1]));
        clearTimeout(timer);
        p.once('exit', () => res({ total: now - t, worker: now - forkedAt, workerCpu }));
        p.kill('SIGTERM');
      }
    });
  });
}

async function main() {
  // what any node process costs on this machine right now: the floor under every figure below
  const floor = Array.from({ length: RUNS }, () => {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    return performance.now() - t;
  });
  process.stdout.write(`node -e 0: median ${median(floor)} ms\n`);
  for (const [name, launch] of Object.entries(LAUNCHERS)) {
    helpMs(launch); // the first call may build dist/; not counted
    const help = Array.from({ length: RUNS }, () => helpMs(launch));
    const helpCpu = Array.from({ length: RUNS }, () => helpCpuMs(launch)).filter((x): x is number => x !== undefined);
    const dataDir = mkdtempSync(join(tmpdir(), 'keep-bench-startup-'));
    try {
      await serveOnce(launch, dataDir); // first start: seed, self-signed certificate
      const starts = [];
      for (let i = 0; i < RUNS; i++) starts.push(await serveOnce(launch, dataDir));
      process.stdout.write(`${name}: keepd --help median ${median(help)} ms (min ${Math.round(Math.min(...help))}${helpCpu.length ? `, CPU ${median(helpCpu)} ms` : ''}); `
        + `cold worker ready median ${median(starts.map((s) => s.worker))} ms after its fork (CPU ${median(starts.map((s) => s.workerCpu))} ms), `
        + `${median(starts.map((s) => s.total))} ms after keepd serve was spawned (${RUNS} runs each)\n`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

await main();
