// The spec and the code change together: every verb in the command table has a heading in
// protocol/ and appears in the index, and every verb the spec documents is in the table.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../../src/protocols/native/commands/index.ts';

const dir = resolve(import.meta.dirname, '../../../../protocol');
const index = readFileSync(join(dir, 'README.md'), 'utf8');
/** the native protocol's files: the index and the files its table links (others live in protocol/ too) */
const files = ['README.md', ...[...index.matchAll(/^\| \[([a-z-]+\.md)\]/gm)].map((m) => m[1]!)];
const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
/** verbs named in `## ` headings ("## LKRA, LKRN, …" counts each) */
const headed = new Set(Object.values(text).flatMap((t) => t.split('\n').filter((l) => l.startsWith('## ')).flatMap((l) => l.match(/\b[A-Z][A-Z0-9]{3}\b/g) ?? [])));

describe('native protocol specification', () => {
  it.each(Object.keys(COMMANDS))('documents %s under a heading and in the index', (verb) => {
    expect(headed.has(verb)).toBe(true);
    expect(text['README.md']).toContain(`\`${verb}\``);
  });

  it('documents no verb the server does not implement', () => {
    expect(files.length).toBeGreaterThan(5);
    const notImplemented = [...headed].filter((v) => !(v in COMMANDS));
    expect(notImplemented).toEqual([]);
  });

  it('gives every command a summary that names its section', () => {
    for (const [verb, entry] of Object.entries(COMMANDS)) expect(entry.summary, verb).toMatch(/\(§.+\)$/);
  });
});
