// Drive the interactive `keep` client through a real pseudo-terminal: one tmux server per
// test file (its own socket, so nothing else's tmux is touched), one session per client.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEEP_CLIENT } from './run-keep.ts';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class TmuxServer {
  readonly socket = `keep-cli-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  /** Where each pane's shell writes the client's exit status. */
  private readonly statusDir = mkdtempSync(join(tmpdir(), 'keep-tmux-'));

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Start `keep ARGS` in a new 120x40 terminal (standard input piped from opts.stdin if given). */
  start(name: string, env: Record<string, string>, args: string[] = [], opts: { stdin?: string } = {}): TmuxClient {
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
    const pipe = opts.stdin === undefined ? '' : `printf '%s' ${quote(opts.stdin)} | `;
    // the shell writes the exit status to a file: neither tmux's pane status (a pane can read
    // as dead before its process is reaped) nor a line echoed on screen (tmux can mark the
    // pane dead before it draws the last output) proved reliable
    const statusFile = join(this.statusDir, name);
    const command = `${pipe}env -i ${assignments} ${quote(process.execPath)} ${quote(KEEP_CLIENT)} ${args.map(quote).join(' ')}; echo $? > ${quote(statusFile)}.tmp && mv ${quote(statusFile)}.tmp ${quote(statusFile)}`;
    this.tmux(['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command]);
    this.tmux(['set-option', '-t', name, 'remain-on-exit', 'on']);
    return new TmuxClient(this, name, statusFile);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
    rmSync(this.statusDir, { recursive: true, force: true });
  }
}

export class TmuxClient {
  constructor(private readonly server: TmuxServer, readonly name: string, private readonly statusFile: string) {}

  /** Everything on screen and in the scrollback. */
  screen(): string {
    return this.server.tmux(['capture-pane', '-p', '-J', '-t', this.name, '-S', '-2000']);
  }

  /** Press keys (tmux key names such as Enter or C-c, or single characters). */
  press(...keys: string[]): void {
    this.server.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Type literal text, then Enter. */
  type(text: string): void {
    this.server.tmux(['send-keys', '-t', this.name, '-l', text]);
    this.press('Enter');
  }

  /** Wait until the screen matches, checking every 100 ms; fails with the screen after timeoutMs. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on ${this.name}'s screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Wait for the client to exit and return its exit status. */
  async waitForExit(timeoutMs = 45_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== undefined) return status;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${this.name} to exit; its screen:\n${this.screen()}\nprocesses in the pane:\n${this.processes()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private exitStatus(): number | undefined {
    try {
      return Number(readFileSync(this.statusFile, 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  /** What still runs in the pane (for a failure message). */
  private processes(): string {
    const pid = this.server.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']).trim();
    return spawnSync('ps', ['-o', 'pid,stat,wchan:20,etime,cmd', '--ppid', pid, '-p', pid], { encoding: 'utf8' }).stdout;
  }
}
