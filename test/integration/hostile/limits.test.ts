// Per-address connection caps and the command-time limit on every line protocol (issue 10): the
// connection over the cap is refused in the protocol's own words, a freed slot is usable again,
// and a command trickled in a byte at a time is cut off after KEEP_COMMAND_TIMEOUT.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_MAX_CONNECTIONS_PER_ADDRESS: '3', KEEP_COMMAND_TIMEOUT: '1' } });
}, 60_000);
afterAll(async () => { await keep?.stop(); });

/** Connect and resolve with the first line the server sends, and the socket. */
function firstLine(port: number): Promise<{ line: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = '';
    const t = setTimeout(() => { socket.destroy(); reject(new Error('no first line')); }, 10_000);
    socket.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0 && t) {
        clearTimeout(t);
        resolve({ line: buf.slice(0, i).trim(), socket });
      }
    });
    socket.on('error', (e) => { clearTimeout(t); reject(e); });
  });
}

const closed = (s: net.Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

const PROTOCOLS = [
  { name: 'IMAP', port: () => keep.ports.imap, hello: /^\* OK/, refused: /^\* BYE Too many connections/, cutOff: /^\* BYE Command took longer/ },
  { name: 'NNTP', port: () => keep.ports.nntp, hello: /^20[01] /, refused: /^400 Too many connections/, cutOff: /^400 Command took longer/ },
  { name: 'SMTP', port: () => keep.ports.smtp, hello: /^220 /, refused: /^421 4\.7\.0 Too many connections/, cutOff: /^421 4\.4\.2 A command took longer/ },
  { name: 'native', port: () => keep.ports.native, hello: /^200 /, refused: /^5\d\d Too many connections/, cutOff: /^5\d\d A command took longer/ },
];

describe('connections per address', () => {
  it.each(PROTOCOLS.map((p) => [p.name, p] as const))('%s refuses the connection over the cap in its own words', async (_n, p) => {
    const held = await Promise.all([1, 2, 3].map(() => firstLine(p.port())));
    for (const h of held) expect(h.line).toMatch(p.hello);
    const over = await firstLine(p.port());
    expect(over.line).toMatch(p.refused);
    await closed(over.socket);
    held[0]!.socket.destroy();
    await closed(held[0]!.socket);
    // the freed slot is counted back (the worker notices the close a moment later)
    const deadline = Date.now() + 5000;
    let again = await firstLine(p.port());
    while (!p.hello.test(again.line) && Date.now() < deadline) {
      again.socket.destroy();
      await new Promise((r) => setTimeout(r, 100));
      again = await firstLine(p.port());
    }
    expect(again.line).toMatch(p.hello);
    for (const h of [...held, again]) h.socket.destroy();
  });
});

describe('command-time limit', () => {
  it.each(PROTOCOLS.filter((p) => p.cutOff).map((p) => [p.name, p] as const))('%s cuts off a command trickled in a byte at a time', async (_n, p) => {
    const { socket } = await firstLine(p.port());
    let said = '';
    socket.on('data', (d) => { said += d; });
    const trickle = setInterval(() => socket.write('x'), 200);
    try {
      await closed(socket);
      expect(said.trim()).toMatch(p.cutOff!);
    } finally {
      clearInterval(trickle);
    }
  });

  it('SMTP cuts off a command trickled a byte at a time after STARTTLS too', async () => {
    const { socket } = await firstLine(keep.ports.smtp);
    const reply = (on: net.Socket, pred: RegExp) => new Promise<void>((resolve) => {
      let buf = '';
      const onData = (d: Buffer) => {
        buf += d;
        if (pred.test(buf)) { on.off('data', onData); resolve(); }
      };
      on.on('data', onData);
    });
    const ehlo = reply(socket, /^250 /m);
    socket.write('EHLO trickle.test\r\n');
    await ehlo;
    const ready = reply(socket, /^220 /m);
    socket.write('STARTTLS\r\n');
    await ready;
    socket.removeAllListeners('data');
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => { secure.once('secureConnect', () => resolve()); secure.once('error', reject); });
    const hello = reply(secure, /^250 /m);
    secure.write('EHLO trickle.test\r\n');
    await hello;
    let said = '';
    secure.on('data', (d) => { said += d; });
    secure.on('error', () => { /* the server ends the session */ });
    const trickle = setInterval(() => secure.write('x'), 200);
    const t0 = Date.now();
    try {
      await new Promise<void>((r) => (secure.destroyed ? r() : secure.once('close', () => r())));
      expect(said.trim()).toMatch(/^421 4\.4\.2 A command took longer/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      clearInterval(trickle);
    }
  });
});
