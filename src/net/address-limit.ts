// Connections per client address and listener (issue 10): a translator takes a slot when it
// accepts a connection and the slot comes back when the socket closes. Protocol-neutral: the
// translator refuses in its own words when take() says no.
import type { Socket } from 'node:net';

export class AddressLimit {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: () => number) {}

  /** Count this socket against its address, or return false if the address is at the limit. */
  take(socket: Socket, listener: string): boolean {
    const key = `${listener}/${socket.remoteAddress ?? 'unknown'}`;
    const n = this.open.get(key) ?? 0;
    if (n >= this.max()) return false;
    this.open.set(key, n + 1);
    socket.once('close', () => {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    });
    return true;
  }
}
