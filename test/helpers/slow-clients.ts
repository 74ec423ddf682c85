// Slow and idle clients for the hostile-network test and benchmark (issue 10): connections that
// trickle one byte every few seconds, and a normal client's round-trip latency to compare with.
import net from 'node:net';
import { NativeClient } from './native-client.ts';

/** Open n connections that each send one byte of a never-finished command every intervalMs. */
export function trickle(ports: number[], n: number, intervalMs: number): { sockets: net.Socket[]; stop(): void; closedByServer(): number } {
  const sockets: net.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const s = net.connect({ port: ports[i % ports.length]!, host: '127.0.0.1' });
    s.on('error', () => { /* the server may cut us off: that is what limits are for */ });
    s.on('close', () => { closed += 1; });
    s.on('data', () => { /* ignore greetings */ });
    const text = 'a LOGIN someone somepassword-that-never-ends';
    let pos = 0;
    // spread the first bytes over the interval so the load is even
    timers.push(setTimeout(() => timers.push(setInterval(() => {
      if (!s.destroyed) s.write(text[pos++ % text.length]!);
    }, intervalMs)), Math.floor(Math.random() * intervalMs)));
    sockets.push(s);
  }
  return {
    sockets,
    stop() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
    },
    closedByServer: () => closed,
  };
}

/** p50/p99 of `count` native NOOP round trips (ms) on one logged-in connection, and how many were answered 200. */
export async function nativeLatency(port: number, user: string, password: string, count: number): Promise<{ p50: number; p99: number; ok: number }> {
  const c = await NativeClient.connect(port);
  await c.login(user, password);
  const times: number[] = [];
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    if ((await c.cmd('NOOP')).code === 200) ok++;
    times.push(performance.now() - t);
  }
  c.close();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)]!, p99: times[Math.floor(count * 0.99)]!, ok };
}
