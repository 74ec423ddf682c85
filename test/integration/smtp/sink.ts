// A local smtp-server standing in for a remote MX: accepts, defers (451) the first N attempts,
// or refuses (550) per recipient local part, and records what it received.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received { from: string; to: string[]; raw: string; isTls: boolean }

export interface Sink {
  port: number;
  received: Received[];
  attempts: Map<string, number>;
  close(): Promise<void>;
}

/** Recipients named temp<N>-…@ are deferred N times, perm…@ are refused, others accepted. */
/** With `tls`, STARTTLS is offered (smtp-server's built-in test certificate). */
export async function startSink(port = 0, opts: { tls?: boolean } = {}): Promise<Sink> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true, disabledCommands: opts.tls ? ['AUTH'] : ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true,
    onRcptTo(address, _session, cb) {
      const n = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, n);
      const local = address.address.split('@')[0]!;
      const temp = /^temp(\d+)-/.exec(local);
      if (temp && n <= Number(temp[1])) return cb(Object.assign(new Error('Try again later (greylisted)'), { responseCode: 451 }));
      if (local.startsWith('perm')) return cb(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), isTls: session.secure });
        cb();
      });
    },
  });
  server.on('error', () => { /* client resets during tests are expected */ });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port, received, attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
