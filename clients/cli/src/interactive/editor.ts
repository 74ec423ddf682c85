// Writing a message: in $VISUAL/$EDITOR when set, otherwise in a built-in line editor
// (type lines, an empty line ends, then save, continue or abort).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientError } from '../errors.ts';
import { CANCELLED, type Terminal } from './terminal.ts';

const MAX_LINES = 10_000;

/** The text to send, or undefined when the user aborted. */
export async function compose(term: Terminal, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const editor = env.VISUAL || env.EDITOR;
  return editor ? externalEditor(term, editor) : lineEditor(term);
}

async function externalEditor(term: Terminal, editor: string): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'keep-msg-'));
  const file = join(dir, 'message.txt');
  try {
    writeFileSync(file, '');
    // through the shell, so EDITOR="code --wait" and friends work
    const result = await term.handOver(() => spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' }));
    if (result.error) throw new ClientError('usage', `cannot run the editor '${editor}': ${result.error.message}`);
    if (result.status !== 0) {
      term.write(`Editor exited with status ${result.status}; message not sent.\n`);
      return undefined;
    }
    const text = readFileSync(file, 'utf8');
    if (text.trim() === '') {
      term.write('Empty message; not sent.\n');
      return undefined;
    }
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function lineEditor(term: Terminal): Promise<string | undefined> {
  const lines: string[] = [];
  term.write('Enter your text. An empty line ends it (Ctrl-C aborts).\n');
  for (;;) {
    for (let line = await term.readLine(''); line !== ''; line = await term.readLine('')) {
      if (line === CANCELLED) return aborted(term);
      if (lines.length >= MAX_LINES) break;
      lines.push(line);
    }
    const choice = await term.readKey('<S>ave, <C>ontinue, <A>bort? ');
    term.write('\n');
    const key = choice.toLowerCase();
    if (key === 's') {
      if (lines.length === 0) return aborted(term);
      return `${lines.join('\n')}\n`;
    }
    if (key === 'a' || key === '\u0003') return aborted(term);
  }
}

function aborted(term: Terminal): undefined {
  term.write('Message aborted.\n');
  return undefined;
}
