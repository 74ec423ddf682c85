// npm run bench [name…]: runs every bench/*.bench.ts (or the named ones) one after another,
// each in its own process, after printing the machine the figures come from.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { machine } from './lib/machine.ts';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
if (chosen.length === 0) {
  process.stderr.write(`bench: nothing matches ${wanted.join(' ')}; have: ${all.join(', ')}\n`);
  process.exit(2);
}
process.stdout.write(`${machine()}\n`);
let failed = 0;
for (const f of chosen) {
  process.stdout.write(`\n== ${f}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit', timeout: 15 * 60_000 });
  if (r.status !== 0) {
    failed += 1;
    process.stdout.write(`!! ${f} failed (${r.signal ?? r.status})\n`);
  }
}
process.exit(failed ? 1 : 0);
