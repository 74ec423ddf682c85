// Ask the person at the terminal for a name or a password (without echo), even when stdin is
// a pipe carrying a message body: the question goes to /dev/tty.
import { openSync } from 'node:fs';
import tty from 'node:tty';
import { ClientError } from '../errors.ts';

export interface AskOptions { echo: boolean; missing: string }

/** Ask one question on the controlling terminal; a usage error when there is none. */
export async function ask(question: string, opts: AskOptions): Promise<string> {
  const term = openTerminal();
  if (!term) throw new ClientError('usage', opts.missing);
  try {
    return await readAnswer(term.input, term.output, question, opts.echo);
  } finally {
    term.close();
  }
}

interface Terminal { input: tty.ReadStream; output: NodeJS.WritableStream; close(): void }

function openTerminal(): Terminal | undefined {
  if (process.stdin.isTTY) {
    return { input: process.stdin as tty.ReadStream, output: process.stderr, close: () => process.stdin.pause() };
  }
  let fds: [number, number];
  try {
    fds = [openSync('/dev/tty', 'r'), openSync('/dev/tty', 'w')];
  } catch {
    return undefined; // no controlling terminal (a cron job, a test): the caller explains what to set
  }
  // each stream owns its own descriptor and closes it when destroyed
  const input = new tty.ReadStream(fds[0]);
  const output = new tty.WriteStream(fds[1]);
  return { input, output, close: () => { input.destroy(); output.destroy(); } };
}

function readAnswer(input: tty.ReadStream, output: NodeJS.WritableStream, question: string, echo: boolean): Promise<string> {
  output.write(question);
  input.setRawMode(true);
  input.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const finish = (err?: Error) => {
      input.setRawMode(false);
      input.off('data', onData);
      input.pause();
      output.write('\n');
      if (err) reject(err); else resolve(value);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new ClientError('usage', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') {
          if (value && echo) output.write('\b \b');
          value = value.slice(0, -1);
        } else if (ch >= ' ') {
          value += ch;
          if (echo) output.write(ch);
        }
      }
    };
    input.on('data', onData);
  });
}
