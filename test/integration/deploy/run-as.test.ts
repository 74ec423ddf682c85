// Privilege separation: started as root with KEEP_RUN_AS, keepd binds its ports as root, hands the
// data directory to that user (0700) and runs the supervisor and every worker as that user (issue 21).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('SKIPPED: not root; privilege separation needs keepd started as root');
const user = `keepw${process.pid % 100000}`;

/** The real, effective, saved and file-system uids of a process, from /proc. */
function uids(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'))!;
  return line.split(/\s+/).slice(1).map(Number);
}

describe.skipIf(!isRoot)('KEEP_RUN_AS', () => {
  let keep: Keep;
  let uid: number;
  beforeAll(async () => {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', user], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`useradd ${user}: ${made.stderr}`);
    uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
    keep = await startKeep({ env: { KEEP_RUN_AS: user } });
  }, 60_000);
  afterAll(async () => {
    await keep?.stop();
    spawnSync('userdel', [user]);
  });

  it('runs the worker as the user, never as root', async () => {
    const pid = await keep.workerPid();
    expect(uids(pid)).toEqual([uid, uid, uid, uid]);
  });

  it('runs the supervisor as the user once its ports are bound', async () => {
    expect(uids(keep.proc.pid!)).toEqual([uid, uid, uid, uid]);
    const dropped = await keep.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('listeners bound; now running as'));
    expect(dropped.uid).toBe(uid);
  });

  it('gives the data directory to the user, 0700', () => {
    const st = statSync(keep.dataDir);
    expect([st.uid, st.mode & 0o777]).toEqual([uid, 0o700]);
    expect(statSync(`${keep.dataDir}/keep.mdb/data.mdb`).uid).toBe(uid);
  });

  it('serves clients as before', async () => {
    expect((await keep.healthz()).status).toBe('ok');
  });
});

describe.skipIf(!isRoot)('started as root without KEEP_RUN_AS', () => {
  let keep: Keep;
  beforeAll(async () => {
    keep = await startKeep(); // the harness sets no KEEP_RUN_AS: the default applies
  }, 60_000);
  afterAll(async () => {
    await keep?.stop();
  });

  it('runs the supervisor and the worker as the default user keep (created when missing), never as root', async () => {
    const keepUid = Number(spawnSync('id', ['-u', 'keep'], { encoding: 'utf8' }).stdout.trim());
    expect(keepUid).toBeGreaterThan(0);
    expect(uids(await keep.workerPid())).toEqual([keepUid, keepUid, keepUid, keepUid]);
    expect(uids(keep.proc.pid!)).toEqual([keepUid, keepUid, keepUid, keepUid]);
    expect(statSync(keep.dataDir).uid).toBe(keepUid);
  });
});
