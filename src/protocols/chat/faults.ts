// Fault injection for tests only (KEEP_TEST_FAULTS=1): block the event loop (after answering, or
// inside the request's own turn, so the watchdog's log can name it) or crash the worker, so the
// watchdog's stall detection and respawn can be tested end to end; and a full garbage
// collection, so benchmarks measure live memory rather than garbage not yet collected.
import type { IncomingMessage, ServerResponse } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

export function faults(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  if (req.url === '/debug/block') {
    res.end('blocking\n');
    setTimeout(() => {
      for (;;) { /* a stalled event loop, on purpose */ }
    }, 10);
    return true;
  }
  if (req.url === '/debug/block-now') {
    for (;;) { /* a stalled event loop inside this request's turn, on purpose: no answer ever */ }
  }
  if (req.url === '/debug/gc') {
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
    res.end('collected\n');
    return true;
  }
  if (req.url === '/debug/crash') {
    res.end('crashing\n');
    setTimeout(() => { throw new Error('injected crash'); }, 10);
    return true;
  }
  return false;
}
