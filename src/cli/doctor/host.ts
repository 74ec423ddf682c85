// Doctor: what the host gives Keep: private file modes, open-file limit, free disk and the store's
// map, and a clock that agrees with the world.
import { readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot, lookupUser } from '../../supervisor/privileges.ts';
import { result, type CheckResult, type DoctorContext } from './types.ts';

const MiB = 1024 * 1024;
const mib = (n: number) => `${Math.round(n / MiB).toLocaleString('en')} MiB`;
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** The data directory 0700 and everything in it 0600/0700: it holds password hashes, keys and mail. */
export async function checkFileModes(ctx: DoctorContext): Promise<CheckResult[]> {
  const root = ctx.config.dataDir;
  let rootMode: number;
  let owner: number;
  try {
    ({ mode: rootMode, uid: owner } = statSync(root));
  } catch (err) {
    return [result('file modes', 'fail', `cannot read ${root}: ${(err as NodeJS.ErrnoException).code}`)];
  }
  const open: string[] = [];
  if (rootMode & 0o077) open.push(`${root} ${octal(rootMode)} (want 0700)`);
  const visit = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const mode = statSync(path).mode;
      if (mode & 0o077) open.push(`${path} ${octal(mode)} (want ${entry.isDirectory() ? '0700' : '0600'})`);
      if (entry.isDirectory() && depth < 4) visit(path, depth + 1);
    }
  };
  try {
    visit(root, 1);
  } catch (err) {
    return [result('file modes', 'fail', `cannot read inside ${root}: ${(err as Error).message}`)];
  }
  if (open.length) return [result('file modes', 'fail', `readable by others: ${open.slice(0, 4).join('; ')}${open.length > 4 ? ` and ${open.length - 4} more` : ''}`)];
  // started by a normal user, keepd runs as that user; only as root does it hand over to KEEP_RUN_AS
  const runAs = owner === 0 || isRoot() ? lookupUser(ctx.config.runAs) : undefined;
  if ((owner === 0 || isRoot()) && !runAs) return [result('file modes', 'warn', `KEEP_RUN_AS names '${ctx.config.runAs}', and there is no such user yet; keepd started as root creates it and hands ${root} over`)];
  if (runAs && owner !== runAs.uid) return [result('file modes', 'fail', `${root} belongs to uid ${owner}, not ${runAs.name} (uid ${runAs.uid}); keepd hands it over when started as root`)];
  return [result('file modes', 'ok', `${root} is 0700 and every file in it 0600`)];
}

function readNoFile(pid: number | 'self'): number | undefined {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : undefined;
  } catch {
    return undefined; // not Linux, or not our process to read
  }
}

export const WANTED_FILES = 65536;

/** The worker's open-file limit (from /proc, found by its pid in /healthz), else this process's. */
export async function checkFileLimit(ctx: DoctorContext): Promise<CheckResult[]> {
  const pid = ctx.health?.worker?.pid;
  const worker = pid ? readNoFile(pid) : undefined;
  const limit = worker ?? readNoFile('self');
  const whose = worker !== undefined ? `the worker (pid ${pid})` : pid ? `this shell (the worker's limits are not readable by this user)` : 'this shell (keepd not reachable)';
  if (limit === undefined) return [result('open files', 'warn', 'cannot read the open-file limit (no /proc)')];
  if (limit < 4096) return [result('open files', 'fail', `${whose} may open ${limit} files: a few hundred clients exhaust it (LimitNOFILE=${WANTED_FILES} in the unit)`)];
  if (limit < WANTED_FILES) return [result('open files', 'warn', `${whose} may open ${limit} files; ${WANTED_FILES} or more lets many thousands of clients connect (LimitNOFILE= in the unit, or the hard limit)`)];
  return [result('open files', 'ok', `${whose} may open ${limit === Infinity ? 'unlimited' : limit.toLocaleString('en')} files`)];
}

/** Free disk under the data directory, and how much of the LMDB map is used (it grows while the disk has room). */
export async function checkDisk(ctx: DoctorContext): Promise<CheckResult[]> {
  let free: number;
  let total: number;
  try {
    const fs = statfsSync(ctx.config.dataDir);
    free = fs.bavail * fs.bsize;
    total = fs.blocks * fs.bsize;
  } catch (err) {
    return [result('disk', 'fail', `cannot stat the file system of ${ctx.config.dataDir}: ${(err as NodeJS.ErrnoException).code}`)];
  }
  const share = total ? free / total : 0;
  const line = `${mib(free)} free of ${mib(total)} (${(share * 100).toFixed(1)}%) under ${ctx.config.dataDir}`;
  const disk = free < 100 * MiB || share < 0.02 ? result('disk', 'fail', `${line}: writes will fail soon`)
    : free < 1024 * MiB || share < 0.1 ? result('disk', 'warn', `${line}: little room left`) : result('disk', 'ok', line);
  return [disk, await checkStoreMap(ctx, free)];
}

async function checkStoreMap(ctx: DoctorContext, freeDisk: number): Promise<CheckResult> {
  const { Store } = await import('../../store/index.ts');
  let store;
  try {
    store = Store.open({ dataDir: ctx.config.dataDir, create: false, readOnly: true });
  } catch (err) {
    return result('store map', 'fail', (err as Error).message);
  }
  try {
    const stats = store.env.getStats() as { pageSize: number; lastPageNumber: number; mapSize: number };
    const used = (stats.lastPageNumber + 1) * stats.pageSize;
    const line = `${mib(used)} used of a ${mib(stats.mapSize)} map (it grows while the disk has room)`;
    // a backup or compaction writes a copy beside the store: it needs as much free disk as the store uses
    if (freeDisk < used) return result('store map', 'warn', `${line}; free disk (${mib(freeDisk)}) is less than the store: a backup to this disk will not fit`);
    return result('store map', 'ok', `${line}; ${mib(stats.mapSize - used)} of the map and ${mib(freeDisk)} of disk left`);
  } finally {
    await store.close();
  }
}

/** The clock against the Date header of KEEP_CLOCK_CHECK_URL (TLS, DKIM and TOTP care about skew). */
export async function checkClock(ctx: DoctorContext): Promise<CheckResult[]> {
  const url = ctx.config.clockCheckUrl;
  if (!url) return [result('clock', 'ok', 'not compared: set KEEP_CLOCK_CHECK_URL to an https:// URL to check for skew')];
  const sent = Date.now();
  let date: string | null;
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'manual' });
    date = res.headers.get('date');
  } catch (err) {
    return [result('clock', 'warn', `cannot reach ${url}: ${(err as Error).message}`)];
  }
  const received = Date.now();
  const theirs = date ? Date.parse(date) : NaN;
  if (Number.isNaN(theirs)) return [result('clock', 'warn', `${url} sent no usable Date header`)];
  // the Date header has whole seconds and was made somewhere in the round trip: take its middle
  const skew = (sent + received) / 2 - (theirs + 500);
  const s = Math.round(skew / 1000);
  const about = `${Math.abs(s)} s ${skew >= 0 ? 'ahead of' : 'behind'} ${new URL(url).host}`;
  if (Math.abs(skew) > 60_000) return [result('clock', 'fail', `${about}: run an NTP client (systemd-timesyncd, chrony)`)];
  if (Math.abs(skew) > 5_000) return [result('clock', 'warn', `${about}: check NTP`)];
  return [result('clock', 'ok', `within ${Math.max(1, Math.abs(s))} s of ${new URL(url).host}`)];
}
