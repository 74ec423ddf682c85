// Raise the open-file limit at start so thousands of connections fit (issue 10). Node has no
// setrlimit, so prlimit(1) sets it on this process; the worker, forked later, inherits it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Logger } from '../log/index.ts';

const WANTED = 1 << 20;

function readLimit(): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const m = line && /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(line);
    if (!m) return undefined;
    const n = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
    return { soft: n(m[1]!), hard: n(m[2]!) };
  } catch {
    return undefined; // not Linux: nothing to read, nothing to raise
  }
}

function nrOpen(): number {
  try {
    return Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim()) || WANTED;
  } catch {
    return WANTED;
  }
}

/** Raise the soft limit to the hard one (and, when allowed, the hard one too); log what happened. */
export function raiseFileLimit(log: Logger): void {
  const before = readLimit();
  if (!before) return;
  const target = Math.min(WANTED, nrOpen());
  if (before.soft >= target) return void log.info({ soft: before.soft }, 'open-file limit is enough');
  const attempts = [Math.max(target, before.hard === Infinity ? target : 0), before.hard].filter((v) => Number.isFinite(v) && v > before.soft);
  for (const value of attempts) {
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${value}:${value}`], { stdio: 'ignore' });
      const after = readLimit();
      if (after && after.soft > before.soft) return void log.info({ before: before.soft, after: after.soft }, `open-file limit raised from ${before.soft} to ${after.soft}`);
    } catch {
      // not permitted (or no prlimit): try the next, smaller value
    }
  }
  log.warn({ soft: before.soft, hard: before.hard }, `cannot raise the open-file limit (${before.soft}); connections beyond it will be refused`);
}
