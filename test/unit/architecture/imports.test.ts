// Dependency arrows point down (STYLE.md §2): translators → core → store; the supervisor and
// the clients stay apart. Reads every import under src/ and clients/ and fails on a wrong one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The layer a source file belongs to: 'store', 'core', 'protocols/imap', 'supervisor', … */
function layerOf(file: string): string {
  const rel = relative(ROOT, file).split('/');
  if (rel[0] === 'clients') return `clients/${rel[1]}`;
  if (rel[1] === 'protocols' && rel.length > 3) return `protocols/${rel[2]}`;
  return rel.length > 2 ? rel[1]! : rel[1]!.replace(/\.ts$/, '');
}

const ALLOWED: Record<string, (to: string) => boolean> = {
  log: (to) => to === 'log',
  config: (to) => to === 'config',
  types: () => false,
  store: (to) => ['log', 'config', 'types'].includes(to),
  core: (to) => ['store', 'log', 'config', 'types'].includes(to),
  net: (to) => ['log', 'config'].includes(to),
  supervisor: (to) => ['config', 'log', 'net'].includes(to),
};

function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  if (from.startsWith('clients/')) return false; // clients speak the wire only
  if (from.startsWith('protocols/')) return ['core', 'net', 'log', 'config', 'types', 'protocols'].includes(to); // 'protocols' = src/protocols/types.ts
  if (from === 'protocols') return ['core', 'net', 'log', 'config'].includes(to);
  const rule = ALLOWED[from];
  return rule ? rule(to) : true; // server.ts and cli/ may import anything below them
}

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(ts|js|mjs)$/.test(e) && !e.endsWith('.d.ts')) yield p;
  }
}

describe('imports', () => {
  it('point down the layers and never sideways between translators', () => {
    const wrong: string[] = [];
    const files = [...sources(join(ROOT, 'src')), ...[...sources(join(ROOT, 'clients'))].filter((f) => !f.includes('node_modules'))];
    for (const file of files) {
      const from = layerOf(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (from.startsWith('clients/') && target.startsWith(join(ROOT, 'clients'))) continue;
        // the client's launcher may build dist/ with the project's build tool: tooling, not server code
        if (from.startsWith('clients/') && target === join(ROOT, 'bin/build.js')) continue;
        const to = layerOf(target);
        if (!allowed(from, to)) wrong.push(`${relative(ROOT, file)} (${from}) imports ${m[1]} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** The text of every source file under a folder of src/, by path relative to the root. */
function textsUnder(folder: string): [string, string][] {
  return [...sources(join(ROOT, 'src', folder))].map((f) => [relative(ROOT, f), readFileSync(f, 'utf8')]);
}

describe('core\'s narrow face', () => {
  it('keeps store types out of core/index.ts: translators see core\'s own types', () => {
    const index = readFileSync(join(ROOT, 'src/core/index.ts'), 'utf8');
    expect(index.match(/^export .* from '\.\.\/store\/[^']*';$/gm) ?? []).toEqual([]);
  });

  it('gives translators no way to core\'s internals (raw records, *InTxn, unchecked delivery)', () => {
    const wrong = textsUnder('protocols').filter(([, t]) => /createCoreWithInternals|CoreInternals|InTxn\b|\.rooms\.record\(|messages\.deliver\(/.test(t)).map(([f]) => f);
    expect(wrong).toEqual([]);
  });

  it('leaves no translator a MIME parser: the message builder in core/mime parses once', () => {
    const wrong = textsUnder('protocols').filter(([, t]) => /from '(postal-mime|mailsplit|libmime|libqp|nodemailer\/lib\/addressparser)'/.test(t)).map(([f]) => f);
    expect(wrong).toEqual([]);
  });

  it('has rooms not depend on messages (messages are placed in rooms, not the other way round)', () => {
    const wrong = textsUnder('core/rooms').filter(([, t]) => /from '\.\.\/messages\//.test(t)).map(([f]) => f);
    expect(wrong).toEqual([]);
  });

  it('keeps the supervisor↔worker protocol in its own module, not in the listener list', () => {
    expect(readFileSync(join(ROOT, 'src/net/listeners.ts'), 'utf8')).not.toMatch(/ToWorker|ToSupervisor/);
    expect(readFileSync(join(ROOT, 'src/net/supervisor-ipc.ts'), 'utf8')).toMatch(/export type ToWorker[\s\S]*export type ToSupervisor/);
  });

  it('makes Message-IDs in one place (core/mime/build.ts)', () => {
    const wrong = [...textsUnder('core'), ...textsUnder('protocols')]
      .filter(([f, t]) => f !== 'src/core/mime/build.ts' && /(randomUUID|randomBytes)\([^)]*\)[^\n]*@\$\{|Message-ID: <\$\{/.test(t)).map(([f]) => f);
    expect(wrong).toEqual([]);
  });
});
