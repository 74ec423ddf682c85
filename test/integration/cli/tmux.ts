// Drive the interactive `keep` client through a real pseudo-terminal: one tmux server per
// test file (its own socket, so nothing else's tmux is touched), one session per client.
import { execFileSync, spawnSync } from 'node:child_process';
import { KEEP_CLIENT } from './run-keep.ts';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class TmuxServer {
  readonly socket = `keep-cli-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Start `keep ARGS` in a new 120x40 terminal (standard input piped from opts.stdin if given). */
  start(name: string, env: Record<string, string>, args: string[] = [], opts: { stdin?: string } = {}): TmuxClient {
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
    const pipe = opts.stdin === undefined ? '' : `printf '%s' ${quote(opts.stdin)} | `;
    // the shell reports the exit status on screen: tmux's own pane status proved unreliable
    // (a pane can read as dead before its process is reaped)
    const command = `${pipe}env -i ${assignments} ${quote(process.execPath)} ${quote(KEEP_CLIENT)} ${args.map(quote).join(' ')}; echo "[keep exited with status $?]"`;
    this.tmux(['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command]);
    this.tmux(['set-option', '-t', name, 'remain-on-exit', 'on']);
    return new TmuxClient(this, name);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

export class TmuxClient {
  constructor(private readonly server: TmuxServer, readonly name: string) {}

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
    const screen = await this.waitFor(/\[keep exited with status (\d+)\]/, timeoutMs).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\nprocesses in the pane:\n${this.processes()}`);
    });
    return Number(/\[keep exited with status (\d+)\]/.exec(screen)![1]);
  }

  /** What still runs in the pane (for a failure message). */
  private processes(): string {
    const pid = this.server.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']).trim();
    return spawnSync('ps', ['-o', 'pid,stat,wchan:20,etime,cmd', '--ppid', pid, '-p', pid], { encoding: 'utf8' }).stdout;
  }
}
