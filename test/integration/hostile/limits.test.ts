// Per-address connection caps and the command-time limit on every line protocol (issue 10): the
// connection over the cap is refused in the protocol's own words, a freed slot is usable again,
// and a command trickled in a byte at a time is cut off after KEEP_COMMAND_TIMEOUT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_MAX_CONNECTIONS_PER_ADDRESS: '3', KEEP_COMMAND_TIMEOUT: '1' } });
});
afterAll(async () => { await keep?.stop(); });

/** Connect and resolve with the first line the server sends, and the socket. */
async function firstLine(port: number): Promise<{ line: string; socket: RawSocket }> {
  const socket = await RawSocket.connect(port);
  return { line: (await socket.line()).trim(), socket };
}

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
    await over.socket.waitClosed();
    held[0]!.socket.close();
    await held[0]!.socket.whenClosed;
    // the freed slot is counted back (the worker notices the close a moment later)
    const deadline = Date.now() + 5000;
    let again = await firstLine(p.port());
    while (!p.hello.test(again.line) && Date.now() < deadline) {
      again.socket.close();
      await new Promise((r) => setTimeout(r, 100));
      again = await firstLine(p.port());
    }
    expect(again.line).toMatch(p.hello);
    for (const h of [...held, again]) h.socket.close();
  });
});

describe('command-time limit', () => {
  it.each(PROTOCOLS.filter((p) => p.cutOff).map((p) => [p.name, p] as const))('%s cuts off a command trickled in a byte at a time', async (_n, p) => {
    const { socket } = await firstLine(p.port());
    const trickle = setInterval(() => socket.write('x'), 200);
    try {
      await socket.waitClosed();
      expect(socket.pending.trim()).toMatch(p.cutOff!);
    } finally {
      clearInterval(trickle);
    }
  });

  it('SMTP cuts off a command trickled a byte at a time after STARTTLS too', async () => {
    const { socket } = await firstLine(keep.ports.smtp);
    socket.write('EHLO trickle.test\r\n');
    await socket.until((t) => /^250 /m.test(t));
    socket.take();
    socket.write('STARTTLS\r\n');
    await socket.until((t) => /^220 /m.test(t));
    socket.take();
    await socket.startTls();
    socket.write('EHLO trickle.test\r\n');
    await socket.until((t) => /^250 /m.test(t));
    socket.take();
    const trickle = setInterval(() => socket.write('x'), 200);
    try {
      await socket.waitClosed();
      expect(socket.pending.trim()).toMatch(/^421 4\.4\.2 A command took longer/);
    } finally {
      clearInterval(trickle);
    }
  });
});
