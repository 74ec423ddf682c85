// The interactive client's screen and keyboard: raw-mode keys one at a time, a line editor,
// and interjections (an instant message or a chat line printed above what is being typed).
import type tty from 'node:tty';

/** What readLine returns when the user cancels with Ctrl-C or Escape. */
export const CANCELLED = Symbol('cancelled');

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';

export class Terminal {
  private readonly keys: string[] = [];
  private waiter: ((key: string) => void) | undefined;
  /** the prompt and typed text currently on the last screen line, redrawn after an interjection */
  private inputLine = '';
  private readonly onData = (d: Buffer) => this.push(d.toString('utf8'));
  /** Ctrl-C goes here first; returning true means it was handled and is not a key */
  onInterrupt: () => boolean = () => false;

  constructor(private readonly input: tty.ReadStream, private readonly output: tty.WriteStream) {}

  get columns(): number { return this.output.columns || 80; }
  get rows(): number { return this.output.rows || 24; }

  start(): void {
    this.input.setRawMode(true);
    this.input.on('data', this.onData);
    this.input.resume();
  }

  stop(): void {
    this.input.off('data', this.onData);
    if (this.input.isTTY) this.input.setRawMode(false);
    this.input.pause();
  }

  /** text that arrived while another program had the screen, shown when we get it back */
  private held: string[] | undefined;

  /** Hand the terminal to another program (an external editor) and take it back after. */
  async handOver<T>(fn: () => T): Promise<T> {
    this.stop();
    this.held = [];
    try {
      return fn();
    } finally {
      this.start();
      const held = this.held;
      this.held = undefined;
      for (const text of held) this.interject(text);
    }
  }

  write(text: string): void {
    this.output.write(text);
  }

  /** Print text on its own lines above the line being typed, then redraw that line. */
  interject(text: string): void {
    if (this.held) {
      this.held.push(text);
      return;
    }
    const body = text.endsWith('\n') ? text : `${text}\n`;
    this.output.write(this.inputLine ? `\r\u001b[2K${body}${this.inputLine}` : body);
  }

  /** Wait for one key press (an escape sequence counts as one key). */
  nextKey(): Promise<string> {
    const key = this.keys.shift();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  /** Show a prompt and wait for one key; the prompt stays on screen for interjections. */
  async readKey(prompt: string): Promise<string> {
    this.inputLine = prompt;
    this.output.write(prompt);
    try {
      return await this.nextKey();
    } finally {
      this.inputLine = '';
    }
  }

  /** Read one line with simple editing (backspace, Ctrl-U); CANCELLED on Ctrl-C or Escape. */
  async readLine(prompt: string, opts: { echo?: boolean } = {}): Promise<string | typeof CANCELLED> {
    const echo = opts.echo ?? true;
    let value = '';
    const shown = () => prompt + (echo ? value : '');
    this.inputLine = prompt;
    this.output.write(prompt);
    try {
      for (;;) {
        const key = await this.nextKey();
        if (key === '\r' || key === '\n') { this.output.write('\n'); return value; }
        if (key === CTRL_C || key === ESC || (key === CTRL_D && value === '')) { this.output.write('\n'); return CANCELLED; }
        if (key === '\u007f' || key === '\b') {
          if (value && echo) this.output.write('\b \b');
          value = value.slice(0, -1);
        } else if (key === CTRL_U) {
          value = '';
          this.output.write(`\r\u001b[2K${prompt}`);
        } else if (!key.startsWith(ESC) && key >= ' ') {
          value += key;
          if (echo) this.output.write(key);
        }
        this.inputLine = shown();
      }
    } finally {
      this.inputLine = '';
    }
  }

  private push(text: string): void {
    for (const key of splitKeys(text)) {
      if (key === CTRL_C && this.onInterrupt()) continue;
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(key); else this.keys.push(key);
    }
  }
}

/** Split raw terminal input into keys: characters, with ESC [ … sequences kept whole. */
export function splitKeys(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const seq = text[i] === ESC ? /^\u001b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(text.slice(i)) : null;
    const key = seq ? seq[0] : String.fromCodePoint(text.codePointAt(i)!);
    out.push(key);
    i += key.length;
  }
  return out;
}
