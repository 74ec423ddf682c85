// Backpressure for line protocols: wait until a socket has sent what was written to it.
import type { Duplex } from 'node:stream';

/** Resolves when the socket drains its write buffer, or closes (then there is nothing to wait for). */
export function drained(socket: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
