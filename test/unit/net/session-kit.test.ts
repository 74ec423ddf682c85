import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SessionKit, type KitHooks, type KitLimits } from '../../../src/net/session-kit.ts';
import { LineReader } from '../../../src/net/line-reader.ts';

const log = pino({ level: 'silent' });
const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

const LIMITS: KitLimits = { maxBuffered: 64 * 1024, stallMs: 60_000, idleMs: 60_000, lineMs: 0, maxQueued: 64 };

/** A loopback pair: the kit on the server side, a raw client socket on the other. */
async function pair(make: (socket: net.Socket) => void): Promise<net.Socket> {
  const server = net.createServer((s) => make(s));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  sockets.push(client);
  client.on('error', () => { /* resets are part of the tests */ });
  await new Promise<void>((r) => client.once('connect', () => r()));
  return client;
}

/** A line protocol for the tests: each line is a command; `big N` answers N KiB. */
function lineKit(socket: net.Socket, limits: Partial<KitLimits>, ran: string[], extra: Partial<KitHooks<string>> = {}): SessionKit<string> {
  const reader = new LineReader(1000);
  const kit: SessionKit<string> = new SessionKit<string>({
    socket, proto: 'test', cid: 1, log, limits: { ...LIMITS, ...limits },
    hooks: {
      frame: (chunk) => reader.push(chunk).map((l) => l.bytes.toString()),
      run: (line) => {
        ran.push(line);
        const [verb, n] = line.split(' ');
        kit.send(verb === 'big' ? `${'x'.repeat(Number(n) * 1024 - 1)}\n` : `ok ${line}\n`);
      },
      farewell: (why) => `bye ${why}\n`,
      closed: () => {},
      ...extra,
    },
  });
  return kit;
}

async function until(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SessionKit', () => {
  it('runs pipelined items in order and answers each', async () => {
    const ran: string[] = [];
    const client = await pair((s) => lineKit(s, {}, ran));
    let got = '';
    client.on('data', (d) => { got += d; });
    client.write('a\nb\nc\n');
    await until(() => got.split('\n').length > 3);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(got).toBe('ok a\nok b\nok c\n');
  });

  it('runs an item the session queues itself in turn with the client\'s, never inside one', async () => {
    const ran: string[] = [];
    let kit: SessionKit<string> | undefined;
    let release: () => void = () => {};
    const client = await pair((s) => {
      kit = lineKit(s, {}, ran, {
        run: async (line) => {
          ran.push(line);
          if (line === 'slow') await new Promise<void>((r) => { release = r; });
          kit!.send(`ok ${line}\n`);
        },
      });
    });
    let got = '';
    client.on('data', (d) => { got += d; });
    client.write('slow\nnext\n');
    await until(() => ran.includes('slow'));
    kit!.enqueue('server');
    release();
    await until(() => got.split('\n').length > 3);
    expect(got).toBe('ok slow\nok next\nok server\n');
  });

  it('runs no further item while the client is behind, and goes on when it reads', async () => {
    const ran: string[] = [];
    let kit: SessionKit<string> | undefined;
    const client = await pair((s) => { kit = lineKit(s, {}, ran); });
    client.pause();
    // far more than the kernel buffers take: the kit must hold back
    client.write('big 1024\n'.repeat(20));
    await until(() => ran.length > 0 && kit!.unsent > LIMITS.maxBuffered);
    const before = ran.length;
    expect(before).toBeLessThan(20);
    await new Promise((r) => setTimeout(r, 300));
    expect(ran.length).toBe(before);
    let got = 0;
    client.on('data', (d: Buffer) => { got += d.length; });
    client.resume();
    await until(() => got === 20 * 1024 * 1024, 60_000);
    expect(ran.length).toBe(20);
  }, 90_000);

  it('cuts off a client that reads nothing for the stall time, saying why', async () => {
    const ran: string[] = [];
    const farewells: string[] = [];
    const closed: string[] = [];
    const client = await pair((s) => lineKit(s, { stallMs: 500 }, ran, {
      farewell: (why) => { farewells.push(why); return `bye ${why}\n`; },
      closed: () => { closed.push('closed'); },
    }));
    client.pause();
    client.write('big 1024\n'.repeat(20));
    await until(() => closed.length > 0, 30_000);
    expect(farewells).toEqual(['stall']);
    expect(ran.length).toBeLessThan(20);
  }, 60_000);

  it('lets sessions take turns rather than one running its whole queue first', async () => {
    const order: string[] = [];
    const clients: net.Socket[] = [];
    for (const name of ['A', 'B']) {
      clients.push(await pair((s) => lineKit(s, {}, order, {
        run: (line) => {
          order.push(name);
          const end = performance.now() + 2; // each item holds the loop 2 ms
          while (performance.now() < end) { /* work */ }
          void line;
        },
      })));
    }
    for (const c of clients) c.write('x\n'.repeat(40));
    await until(() => order.length === 80, 30_000);
    const firstB = order.indexOf('B');
    const lastA = order.lastIndexOf('A');
    // B got the loop long before A's 40 items (80 ms of work) were done
    expect(firstB).toBeLessThan(lastA);
  });
});
