// Watching the worker's own event loop (issue 16). On the main thread: any single turn that held
// the loop longer than a threshold is logged at warn with the session and command it belongs to.
// On a small watcher thread: when the main thread stops turning altogether, the record of what it
// was doing is written to a pipe the supervisor reads, so the watchdog's kill line can name it
// even though the stuck thread will never send another heartbeat.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log/index.ts';
import { currentWork, WORK_HEADER, workFields } from './current-work.ts';

const TICK_MS = 20;

/** Plain JavaScript, evaluated in the thread: it must not depend on the TypeScript loader. */
const WATCHER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ints = new Int32Array(workerData.shared, 0, 3);
const bytes = new Uint8Array(workerData.shared, ${WORK_HEADER});
let lastTick = -1, lastTickAt = Date.now(), reportedSeq = -1;
setInterval(() => {
  const tick = Atomics.load(ints, 2);
  const now = Date.now();
  if (tick !== lastTick) { lastTick = tick; lastTickAt = now; return; }
  if (now - lastTickAt < workerData.stalledMs) return;
  const seq = Atomics.load(ints, 0);
  if (seq === reportedSeq) return;
  reportedSeq = seq;
  const n = Atomics.load(ints, 1);
  let work = null;
  try { work = n ? JSON.parse(Buffer.from(bytes.slice(0, n)).toString('utf8')) : null; } catch { work = { cmd: 'unreadable' }; }
  try { fs.writeSync(workerData.fd, JSON.stringify({ stalledMs: now - lastTickAt, work }) + '\\n'); } catch { /* the supervisor is gone */ }
}, 100);
`;

export interface LoopWatch {
  stop(): void;
}

/**
 * Start both watchers. `reportFd` is the pipe to the supervisor (absent when the worker runs on
 * its own, e.g. in tests of startWorker); the thread reports a stall once it lasts `stalledMs`.
 */
export function watchLoop(opts: { log: Logger; warnMs: number; reportFd?: number | undefined; stalledMs?: number }): LoopWatch {
  let prev = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    currentWork.tick();
    const held = now - prev - TICK_MS;
    if (held > opts.warnMs) opts.log.warn({ ...workFields(currentWork.blame(prev)), heldMs: Math.round(held) }, 'a turn held the event loop');
    prev = now;
  }, TICK_MS);
  timer.unref();
  let thread: Worker | undefined;
  if (opts.reportFd !== undefined) {
    thread = new Worker(WATCHER, { eval: true, execArgv: [], workerData: { shared: currentWork.shared, fd: opts.reportFd, stalledMs: opts.stalledMs ?? 500 } });
    thread.on('error', (err) => opts.log.error({ err }, 'loop watcher thread failed'));
    thread.unref();
  }
  return {
    stop() {
      clearInterval(timer);
      void thread?.terminate();
    },
  };
}
