// The command-time limit for SMTP (issue 10): smtp-server resets its idle timer on every byte,
// so a client trickling a command a byte at a time would hold the session for ever. This
// watches the cleartext phase of the raw socket: a line (command or DATA line) that takes
// longer than KEEP_COMMAND_TIMEOUT ends the session with 421. Once STARTTLS begins (a TLS
// handshake record, 0x16, at the start of a line) the bytes are no longer lines; it stops there,
// and smtp-server's onSecure starts a second watch on the decrypted TLS socket.
import type { Socket } from 'node:net';
import { lineClock } from '../../net/slow-line-guard.ts';
import type { Logger } from '../../log/index.ts';

const TLS_HANDSHAKE = 0x16;

export function watchSlowCommands(socket: Socket, opts: { seconds: number; log: Logger }): void {
  if (opts.seconds <= 0) return;
  let isAtLineStart = true;
  const clock = lineClock({
    maxMs: opts.seconds * 1000,
    onExpire: () => {
      opts.log.info({ host: socket.remoteAddress }, 'closing: a command took too long to arrive');
      socket.end(`421 4.4.2 A command took longer than ${opts.seconds} seconds; closing\r\n`);
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  });
  const onData = (chunk: Buffer) => {
    if (isAtLineStart && chunk[0] === TLS_HANDSHAKE) {
      stop();
      return;
    }
    isAtLineStart = chunk[chunk.length - 1] === 0x0a;
    clock.feed(chunk);
  };
  const stop = () => {
    clock.stop();
    socket.off('data', onData);
  };
  socket.on('data', onData);
  socket.once('close', stop);
}
