// Start the real keepd (supervisor + worker) on ephemeral loopback ports with a temporary
// data directory, and stop it afterwards. Every integration test goes through here.
// Each keepd leads its own process group and is recorded in the run's registry, so the
// run's global teardown can stop it even when the test that started it lost its handle.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { handToServer } from './server-user.ts';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { forgetSpawn, groupMembers, killGroup, recordSpawn, type Spawned } from './run-registry.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const KEEPD = join(ROOT, 'bin/keepd.js');

export interface Ports {
  native: number; 'native-tls': number; smtp: number; submission: number; submissions: number;
  imap: number; 'imap-tls': number; nntp: number; nntps: number; http: number;
}

export interface Keep {
  dataDir: string;
  ports: Ports;
  proc: ChildProcess;
  adminUser: string;
  adminPassword: string;
  logs: Record<string, unknown>[];
  /** resolves with the first log line matching pred (already seen lines count) */
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** the current worker's pid (from /healthz) */
  workerPid(): Promise<number>;
  healthz(): Promise<{ status: string; restarts: number; worker: { pid: number } }>;
  /** SIGTERM and wait; resolves with the exit code */
  stop(): Promise<number | null>;
  /** run a keepd subcommand against the same data directory */
  cli(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export interface StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  /** keep the data directory after stop (for restart tests) */
  keepData?: boolean;
}

const PORT_ENV = ['KEEP_NATIVE_PORT', 'KEEP_NATIVE_TLS_PORT', 'KEEP_SMTP_PORT', 'KEEP_SUBMISSION_PORT', 'KEEP_SUBMISSIONS_PORT', 'KEEP_IMAP_PORT', 'KEEP_IMAP_TLS_PORT', 'KEEP_NNTP_PORT', 'KEEP_NNTPS_PORT', 'KEEP_HTTP_PORT'];

export function runKeepd(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [KEEPD, ...args], { env: { ...process.env, KEEP_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const group: Spawned = { pgid: p.pid!, marker: ROOT };
    recordSpawn(group);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdin.end(input ?? '');
    p.on('exit', (code) => {
      forgetSpawn(group.pgid);
      res({ code, stdout, stderr });
    });
  });
}

/** Live servers started by this process, for the per-file safety net (stopLeftovers). */
const running = new Set<Keep>();
/** Servers still starting: a timed-out beforeAll may still be waiting for one. */
const starting = new Set<Spawned>();

/**
 * Stop every server this process started and has not stopped: those a test lost after a hook
 * timed out, and those still starting for a hook that gave up. Returns how many.
 */
export async function stopLeftovers(): Promise<number> {
  const left = [...running];
  const pending = [...starting];
  for (const g of pending) killGroup(g, 'SIGTERM');
  await Promise.all([...left.map((k) => k.stop()), ...pending.map((g) => reapGroup(g, 5000))]);
  return left.length + pending.length;
}

/** Wait (bounded) until no process of the group is left; SIGKILL the stragglers. */
async function reapGroup(group: Spawned, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(group).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  killGroup(group, 'SIGKILL');
  forgetSpawn(group.pgid);
}

export async function startKeep(opts: StartOptions = {}): Promise<Keep> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'keep-test-'));
  // a test's own scratch directory holding the data directory must be reachable by the user
  // keepd drops to when the tests run as root
  if (opts.dataDir && resolve(dirname(opts.dataDir)) !== resolve(tmpdir())) handToServer(dirname(opts.dataDir));
  const adminPassword = 'admin-secret';
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    KEEP_DATA_DIR: dataDir, KEEP_BIND: '127.0.0.1', KEEP_ADMIN_USER: 'admin', KEEP_ADMIN_PASSWORD: adminPassword,
    KEEP_LOG_LEVEL: 'info', KEEP_DOMAIN: 'keep.test',
    // most tests make their users with NEWU over loopback; the registration tests set these themselves
    KEEP_REGISTRATION: 'open', KEEP_REGISTRATION_PER_HOUR: '0',
    // nothing listens there: every lookup fails at once (temperror), so no test waits on the
    // host's DNS; tests that need answers start test/helpers/dns-stub.ts and point here
    KEEP_DNS_SERVERS: '127.0.0.1:9',
    ...Object.fromEntries(PORT_ENV.map((k) => [k, '0'])),
    ...opts.env,
  };
  delete env.KEEP_CONFIG;
  // KEEPD_NODE_ARGS passes node flags to keepd, e.g. '--cpu-prof --cpu-prof-dir=/tmp/p' to profile under a bench
  const nodeArgs = process.env.KEEPD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // detached: keepd leads its own process group, so its workers can be found and stopped with it
  const proc = spawn(process.execPath, [...nodeArgs, KEEPD, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const group: Spawned = { pgid: proc.pid!, marker: ROOT, dataDir };
  recordSpawn(group);
  starting.add(group);
  let exited: Promise<number | null> = new Promise((r) => proc.once('exit', (code) => r(code)));
  const logs: Record<string, unknown>[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line, raw: true };
      }
      logs.push(entry);
      for (const w of [...waiters]) if (w.pred(entry)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(entry); }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const waitForLog = (pred: (l: Record<string, unknown>) => boolean, timeoutMs = 60_000) => {
    const seen = logs.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolveP, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for a log line; stderr: ${stderr.slice(-500)}`)), timeoutMs);
      waiters.push({ pred, resolve: (l) => { clearTimeout(t); resolveP(l); } });
      proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`keepd exited (${code}) before the expected log line; stderr: ${stderr.slice(-500)}`)); });
    });
  };
  try {
    // generous: a loaded 2-core machine takes tens of seconds to load three node processes
    // (KEEP_TEST_START_MS stretches it further on a crowded one)
    await waitForLog((l) => l.msg === 'worker ready', Number(process.env.KEEP_TEST_START_MS ?? 120_000));
  } catch (err) {
    // never leave a half-started server behind: the supervisor takes its worker down with it
    killGroup(group, 'SIGTERM');
    await reapGroup(group, 5000);
    throw err;
  } finally {
    starting.delete(group);
  }
  const ports = Object.fromEntries(logs.filter((l) => typeof l.listener === 'string' && typeof l.port === 'number').map((l) => [l.listener, l.port])) as unknown as Ports;
  const healthz = async () => (await (await fetch(`http://127.0.0.1:${ports.http}/healthz`)).json()) as { status: string; restarts: number; worker: { pid: number } };
  const keep: Keep = {
    dataDir, ports, proc, adminUser: 'admin', adminPassword, logs, waitForLog, healthz,
    async workerPid() {
      return (await healthz()).worker.pid;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(group, 'SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      exited = Promise.resolve(code);
      // the supervisor stops its workers before it exits; any left (it was SIGKILLed) go now
      await reapGroup(group, 5000);
      running.delete(keep);
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    cli(args, input) {
      return runKeepd(args, { KEEP_DATA_DIR: dataDir, KEEP_DOMAIN: 'keep.test' }, input);
    },
  };
  running.add(keep);
  return keep;
}
