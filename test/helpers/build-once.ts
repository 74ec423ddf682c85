// vitest globalSetup: compile dist/ once per run, before any test worker starts, so every keepd
// and keep client a test spawns runs the compiled code instead of building (or racing to build) it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export default function buildOnce(): void {
  const root = resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [join(root, 'bin/build.js'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building dist/ failed (exit ${r.status ?? r.signal}); see above`);
}
