// One line naming the machine a benchmark ran on: CPU model and count, memory, Node, OS.
import os from 'node:os';

export function machine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${gib} GiB RAM, node ${process.version}, ${os.type()} ${os.release()} (${os.arch()})`;
}
