// Fair turns (issue 16): a session runs its commands in slices of a few milliseconds and then
// gives the event loop back. setImmediate callbacks run in the order they were queued, with
// socket reads and timers between rounds, so every session that has work takes its turn in
// arrival order and no one of them holds the loop for the others.
import { performance } from 'node:perf_hooks';

/** How long one session may run before it yields (DESIGN.md §Processes: "a few milliseconds"). */
export const SLICE_MS = 4;

/** Resolves on the next round of the event loop, after pending I/O and other sessions' turns. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One session's running time since it last yielded. */
export class Slice {
  private start = performance.now();

  /** Restart the clock (the session just got the loop back). */
  reset(): void {
    this.start = performance.now();
  }

  get isUsedUp(): boolean {
    return performance.now() - this.start >= SLICE_MS;
  }

  /** Yield if this slice is used up; cheap when it is not. */
  async yieldIfDue(): Promise<void> {
    if (!this.isUsedUp) return;
    await nextTurn();
    this.reset();
  }
}
