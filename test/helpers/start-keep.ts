// Start the real keepd (supervisor + worker) on ephemeral loopback ports with a temporary
// data directory, and stop it afterwards. Every integration test goes through here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const KEEPD = join(ROOT, 'bin/keepd.js');

export interface Ports {
  native: number; 'native-tls': number; smtp: number; submission: number;
  imap: number; 'imap-tls': number; nntp: number; http: number;
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

const PORT_ENV = ['KEEP_NATIVE_PORT', 'KEEP_NATIVE_TLS_PORT', 'KEEP_SMTP_PORT', 'KEEP_SUBMISSION_PORT', 'KEEP_IMAP_PORT', 'KEEP_IMAP_TLS_PORT', 'KEEP_NNTP_PORT', 'KEEP_HTTP_PORT'];

export function runKeepd(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [KEEPD, ...args], { env: { ...process.env, KEEP_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdin.end(input ?? '');
    p.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

export async function startKeep(opts: StartOptions = {}): Promise<Keep> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'keep-test-'));
  const adminPassword = 'admin-secret';
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    KEEP_DATA_DIR: dataDir, KEEP_BIND: '127.0.0.1', KEEP_ADMIN_USER: 'admin', KEEP_ADMIN_PASSWORD: adminPassword,
    KEEP_LOG_LEVEL: 'info', KEEP_DOMAIN: 'keep.test',
    // most tests make their users with NEWU over loopback; the registration tests set these themselves
    KEEP_REGISTRATION: 'open', KEEP_REGISTRATION_PER_HOUR: '0',
    ...Object.fromEntries(PORT_ENV.map((k) => [k, '0'])),
    ...opts.env,
  };
  delete env.KEEP_CONFIG;
  // KEEPD_NODE_ARGS passes node flags to keepd, e.g. '--cpu-prof --cpu-prof-dir=/tmp/p' to profile under a bench
  const nodeArgs = process.env.KEEPD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, KEEPD, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const waitForLog = (pred: (l: Record<string, unknown>) => boolean, timeoutMs = 15_000) => {
    const seen = logs.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolveP, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for a log line; stderr: ${stderr.slice(-500)}`)), timeoutMs);
      waiters.push({ pred, resolve: (l) => { clearTimeout(t); resolveP(l); } });
      proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`keepd exited (${code}) before the expected log line; stderr: ${stderr.slice(-500)}`)); });
    });
  };
  try {
    // generous: CI machines can be busy (KEEP_TEST_START_MS stretches it on a crowded one)
    await waitForLog((l) => l.msg === 'worker ready', Number(process.env.KEEP_TEST_START_MS ?? 45_000));
  } catch (err) {
    // never leave a half-started server behind: the supervisor takes its worker down with it
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    throw err;
  }
  const ports = Object.fromEntries(logs.filter((l) => typeof l.listener === 'string' && typeof l.port === 'number').map((l) => [l.listener, l.port])) as unknown as Ports;
  const healthz = async () => (await (await fetch(`http://127.0.0.1:${ports.http}/healthz`)).json()) as { status: string; restarts: number; worker: { pid: number } };
  let exited: Promise<number | null> = new Promise((r) => proc.once('exit', (code) => r(code)));
  return {
    dataDir, ports, proc, adminUser: 'admin', adminPassword, logs, waitForLog, healthz,
    async workerPid() {
      return (await healthz()).worker.pid;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      exited = Promise.resolve(code);
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    cli(args, input) {
      return runKeepd(args, { KEEP_DATA_DIR: dataDir, KEEP_DOMAIN: 'keep.test' }, input);
    },
  };
}
