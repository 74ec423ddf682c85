// Network probes for the doctor: connect (optionally over TLS), read the first line, bounded by a timeout.
import net from 'node:net';
import tls from 'node:tls';

export interface ProbeAnswer {
  line: string;
  /** the certificate the server presented (TLS probes) */
  certificate?: tls.PeerCertificate | undefined;
}

export interface ProbeOptions {
  host: string;
  port: number;
  timeoutMs: number;
  isTls?: boolean;
  /** written after connecting, before the first line is read (an HTTP request) */
  send?: string;
}

/** Connect and read the first line; rejects with a short reason (refused, timed out, closed). */
export function probeLine(opts: ProbeOptions): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    // the doctor checks the certificate itself; an untrusted or expired one must still be read
    const socket = opts.isTls
      ? tls.connect({ host: opts.host, port: opts.port, rejectUnauthorized: false, servername: net.isIP(opts.host) ? undefined : opts.host })
      : net.connect({ host: opts.host, port: opts.port });
    let buf = '';
    let certificate: tls.PeerCertificate | undefined;
    const done = (err: Error | undefined, answer?: ProbeAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    const timer = setTimeout(() => done(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    socket.once(opts.isTls ? 'secureConnect' : 'connect', () => {
      if (socket instanceof tls.TLSSocket) certificate = socket.getPeerCertificate(false);
      if (opts.send) socket.write(opts.send);
    });
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const i = buf.indexOf('\n');
      if (i >= 0) done(undefined, { line: buf.slice(0, i).replace(/\r$/, ''), certificate });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(new Error(err.code === 'ECONNREFUSED' ? 'connection refused' : err.message)));
    socket.once('close', () => done(new Error(buf ? `closed after '${buf.slice(0, 60)}'` : 'closed without a greeting')));
  });
}

/** The address to reach a listener bound to `bind` from this host. */
export function reachableHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '') return '127.0.0.1';
  if (bind === '::') return '::1';
  return bind;
}
