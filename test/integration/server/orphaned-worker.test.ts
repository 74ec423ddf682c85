// A keepd whose supervisor dies (kill -9) must not leave its workers behind: they notice the lost
// IPC channel and exit, and the test run's registry finds every process of the group (the
// supervisor runs bin/keepd.js, its workers the build under .build/), so a leak is stopped.
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startKeep, type Keep } from '../../helpers/start-keep.ts';
import { groupMembers } from '../../helpers/run-registry.ts';

let keep: Keep | undefined;
afterAll(async () => { await keep?.stop(); });

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('keepd process group', () => {
  it('lists the workers with the supervisor, and the workers exit when the supervisor is killed', async () => {
    keep = await startKeep();
    await keep.waitForLog((l) => l.msg === 'standby worker loaded');
    const supervisor = keep.proc.pid!;
    const worker = await keep.workerPid();
    const members = groupMembers({ pgid: supervisor, marker: ROOT });
    expect(members).toContain(supervisor);
    expect(members).toContain(worker);
    expect(members.length).toBeGreaterThanOrEqual(3); // the active and the standby worker
    const workers = members.filter((p) => p !== supervisor);
    process.kill(supervisor, 'SIGKILL');
    const deadline = Date.now() + 60_000; // a hang bound, not a figure
    while (workers.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(workers.filter(isAlive)).toEqual([]);
  }, 120_000);
});
