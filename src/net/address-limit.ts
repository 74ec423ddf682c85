// Connections per client address (issues 10 and 16): a translator takes a slot when it accepts a
// connection and the slot comes back when the socket closes. Two bounds: per listener
// (KEEP_MAX_CONNECTIONS_PER_ADDRESS), and over every listener together a quarter of the
// worker's open-file limit, so one address can never take the descriptors everyone else needs.
// Protocol-neutral: the translator refuses in its own words when take() says no.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/** Share of the open-file limit one address may hold over all listeners. */
const ADDRESS_SHARE = 4;
const FALLBACK_FILES = 4096;

function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line && /Max open files\s+(\d+|unlimited)/.exec(line)?.[1];
    if (soft === 'unlimited') return 1 << 20;
    return soft ? Number(soft) : FALLBACK_FILES;
  } catch {
    return FALLBACK_FILES; // not Linux: a conservative guess
  }
}

/** Open sockets per address over all listeners (one worker, one table). */
const totals = new Map<string, number>();
let totalMax: number | undefined;

/** The most sockets one address may hold over all listeners together. */
export function addressTotalLimit(): number {
  totalMax ??= Math.max(64, Math.floor(openFileLimit() / ADDRESS_SHARE));
  return totalMax;
}

export class AddressLimit {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: () => number) {}

  /** Count this socket against its address, or return false if the address is at a limit. */
  take(socket: Socket, listener: string): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    const key = `${listener}/${address}`;
    const n = this.open.get(key) ?? 0;
    const total = totals.get(address) ?? 0;
    if (n >= this.max() || total >= addressTotalLimit()) return false;
    this.open.set(key, n + 1);
    totals.set(address, total + 1);
    socket.once('close', () => {
      release(this.open, key);
      release(totals, address);
    });
    return true;
  }
}

function release(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
