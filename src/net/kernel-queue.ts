// How many bytes of a TCP connection still sit in the kernel's send queue (Linux: the tx_queue
// column of /proc/net/tcp and tcp6). The stall watch needs it: the kernel buffers megabytes per
// socket and tells Node a socket is writable again only when a third or more of that is free,
// so a client reading 1 KiB/s shows no progress in user space for many minutes while its
// kernel queue shrinks steadily. Elsewhere (no /proc) the answer is undefined and user-space
// progress is all there is.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/** One reading of every socket's queue, shared by all sessions asking within this window. */
const SNAPSHOT_MS = 200;
let snapshot: { at: number; queues: Map<string, number> } | undefined;
let isUnavailable = false;

// keyed by local and remote port: two clients on one port pair from different addresses
// share an entry, which can only delay a cut-off, never cause one
const keyOf = (localPort: number, remotePort: number) => `${localPort}:${remotePort}`;

function read(): Map<string, number> {
  const queues = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue; // no IPv6, or not Linux
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      const local = f[1]!;
      const remote = f[2]!;
      const tx = f[4]!.split(':')[0]!;
      const key = keyOf(parseInt(local.slice(local.lastIndexOf(':') + 1), 16), parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16));
      queues.set(key, (queues.get(key) ?? 0) + parseInt(tx, 16));
    }
  }
  return queues;
}

/** Bytes the kernel still holds for this socket, or undefined when that cannot be known. */
export function kernelUnsent(socket: Socket): number | undefined {
  if (isUnavailable || socket.localPort === undefined || socket.remotePort === undefined) return undefined;
  const now = Date.now();
  if (!snapshot || now - snapshot.at > SNAPSHOT_MS) {
    const queues = read();
    if (queues.size === 0) {
      isUnavailable = true;
      return undefined;
    }
    snapshot = { at: now, queues };
  }
  return snapshot.queues.get(keyOf(socket.localPort, socket.remotePort));
}
