// Spawn the `keep` client the way a user does (through its launcher) and collect what it says.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../helpers/start-keep.ts';

export const KEEP_CLIENT = join(ROOT, 'clients/cli/bin/keep.js');

export interface KeepRun { code: number | null; stdout: string; stderr: string }

/** Environment for a client talking to a test server; nothing from the developer's own config leaks in. */
export function clientEnv(port: number, user: string, password: string, extra: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEEP_'))) as Record<string, string>;
  return { ...base, XDG_CONFIG_HOME: '/nonexistent', KEEP_HOST: '127.0.0.1', KEEP_PORT: String(port), KEEP_USER: user, KEEP_PASSWORD: password, ...extra };
}

export function runKeep(args: string[], env: Record<string, string>, input = '', timeoutMs = 20_000): Promise<KeepRun> {
  return new Promise((resolve, reject) => {
    // detached: no controlling terminal, so a missing password cannot turn into a prompt that hangs the test
    const p = spawn(process.execPath, [KEEP_CLIENT, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`keep ${args.join(' ')} did not finish in ${timeoutMs} ms; stderr: ${stderr}`)); }, timeoutMs);
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdin.end(input);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** A failure message is one line, names no source file and carries no stack trace. */
export function expectOneLineError(run: KeepRun): string {
  const lines = run.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0]!.startsWith('keep: ') || /\bat .*\.(ts|js):\d+/.test(run.stderr)) {
    throw new Error(`expected one clear error line, got: ${JSON.stringify(run.stderr)}`);
  }
  return lines[0]!;
}
