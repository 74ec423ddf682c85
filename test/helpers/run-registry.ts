// The per-run registry of servers a test run started, so the run can stop every one of them
// even when a hook timed out and the test lost its handle (issue 18: a loaded run left three
// keepd behind). Each keepd is spawned as the leader of its own process group; its workers
// share that group. A record is a file named for the group id in the run's directory
// (KEEP_TEST_RUN_DIR, made by test/global-setup.ts); stopping a server cleanly removes it.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_DIR_ENV = 'KEEP_TEST_RUN_DIR';

export interface Spawned {
  /** process group id = the pid of the keepd it was spawned as */
  pgid: number;
  /**
   * a string every process of the group has in its command line (pid-reuse guard): the project
   * root, since the supervisor runs bin/keepd.js but its workers run the build under .build/
   */
  marker: string;
  dataDir?: string;
}

/** Groups spawned by this process and not yet stopped: killed synchronously if it exits. */
const live = new Map<number, Spawned>();

process.once('exit', () => {
  for (const s of live.values()) killGroup(s, 'SIGKILL');
});

export function recordSpawn(s: Spawned): void {
  live.set(s.pgid, s);
  const dir = process.env[RUN_DIR_ENV];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, String(s.pgid)), JSON.stringify(s));
}

/** The group has exited (every member is gone): forget it. */
export function forgetSpawn(pgid: number): void {
  live.delete(pgid);
  const dir = process.env[RUN_DIR_ENV];
  if (dir) rmSync(join(dir, String(pgid)), { force: true });
}

/** The groups this process still has running (for a per-file safety net). */
export function liveSpawns(): Spawned[] {
  return [...live.values()];
}

/** Pids of the processes in group pgid whose command line contains marker (read from /proc). */
export function groupMembers(s: Spawned): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // field 5 of stat is the pgrp; the command name (field 2) may hold spaces, so split after ')'
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) !== s.pgid) continue;
      if (rest[0] === 'Z') continue; // a zombie is already dead; its parent reaps it
      const cmdline = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmdline.includes(s.marker)) out.push(Number(e));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Send signal to every member of the group (by pid); returns how many were signalled. */
export function killGroup(s: Spawned, signal: NodeJS.Signals): number {
  let n = 0;
  for (const pid of groupMembers(s)) {
    try {
      process.kill(pid, signal);
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

/** Every group recorded in the run directory. */
export function recordedSpawns(dir: string): Spawned[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Spawned[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, n), 'utf8')) as Spawned);
    } catch {
      // a record half-written by a process killed mid-write: nothing to act on
    }
  }
  return out;
}
