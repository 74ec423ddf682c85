// A tiny scripted Citadel-protocol server for the client's unit tests: it answers each
// command line with whatever the test's handler returns and records what it received.
// The integration tests in test/integration/cli run against the real keepd instead.
import net from 'node:net';

export type Handler = (line: string, socket: net.Socket) => string | string[] | undefined;

export interface FakeServer {
  port: number;
  received: string[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler, greeting = '200 fake Citadel server ready.'): Promise<FakeServer> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.write(`${greeting}\n`);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        received.push(line);
        const out = handler(line, socket);
        if (out !== undefined && !socket.destroyed) socket.write([out].flat().map((l) => `${l}\n`).join(''));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
