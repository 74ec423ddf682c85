// Show long text a screenful at a time, like the Citadel client's "more" prompt.
import type { Terminal } from './terminal.ts';

export type PagerResult = 'done' | 'stopped';

/** Break text into screen lines of at most `width` columns, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      const at = cut > width / 3 ? cut : width;
      out.push(rest.slice(0, at));
      rest = rest.slice(at).replace(/^ /, '');
    }
    out.push(rest);
  }
  return out;
}

export async function page(term: Terminal, text: string): Promise<PagerResult> {
  const lines = wrap(text.replace(/\n$/, ''), Math.max(20, term.columns - 1));
  const screen = Math.max(3, term.rows - 2);
  let shown = 0;
  let budget = screen;
  while (shown < lines.length) {
    const chunk = lines.slice(shown, shown + budget);
    term.write(`${chunk.join('\n')}\n`);
    shown += chunk.length;
    if (shown >= lines.length) break;
    const key = await term.readKey(`-- more (${Math.round((shown / lines.length) * 100)}%) -- space: page, enter: line, q: stop `);
    term.write('\r\u001b[2K');
    if (key === 'q' || key === 'Q' || key === 's' || key === '\u0003') return 'stopped';
    budget = key === '\r' || key === '\n' ? 1 : screen;
  }
  return 'done';
}
