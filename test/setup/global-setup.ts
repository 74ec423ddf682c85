// Once per test run: make the run's registry of started servers, and at the end stop whatever
// the run started and did not stop (a hook that timed out loses its server). Only processes
// this run recorded are signalled, by pid; other runs on the machine are left alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupMembers, killGroup, recordedSpawns, RUN_DIR_ENV } from '../helpers/run-registry.ts';

export default function setup(): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keep-test-run-'));
  // workers are forked after global setup, so they inherit this
  process.env[RUN_DIR_ENV] = dir;
  return async () => {
    const left = recordedSpawns(dir).filter((s) => groupMembers(s).length > 0);
    for (const s of left) killGroup(s, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (left.some((s) => groupMembers(s).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const s of left) killGroup(s, 'SIGKILL');
    if (left.length > 0) {
      // a leak is a test bug worth seeing: name the data directories so the test can be found
      console.warn(`keep test run: stopped ${left.length} server(s) a test left running: ${left.map((s) => s.dataDir ?? `pgid ${s.pgid}`).join(', ')}`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
