// Fault injection for tests only (KEEP_TEST_FAULTS=1): block the event loop or crash the worker,
// so the watchdog's stall detection and respawn can be tested end to end.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function faults(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  if (req.url === '/debug/block') {
    res.end('blocking\n');
    setTimeout(() => {
      for (;;) { /* a stalled event loop, on purpose */ }
    }, 10);
    return true;
  }
  if (req.url === '/debug/crash') {
    res.end('crashing\n');
    setTimeout(() => { throw new Error('injected crash'); }, 10);
    return true;
  }
  return false;
}
