// A separate process of slow clients, so their timers do not share an event loop with the
// client whose latency is measured. Args: ports (comma-separated), count, interval ms.
import { trickle } from './slow-clients.ts';

const [ports, count, interval] = process.argv.slice(2);
const t = trickle(ports!.split(',').map(Number), Number(count), Number(interval));
setTimeout(() => process.stdout.write(`ready ${t.sockets.length}\n`), Number(interval) + 500);
const stop = () => {
  process.stdout.write(`closed-by-server ${t.closedByServer()}\n`);
  t.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
setTimeout(stop, 120_000).unref(); // bounded even if nobody stops us
