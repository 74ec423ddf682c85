// SMTP translator: inbound MX (KEEP_SMTP_PORT) and submission (KEEP_SUBMISSION_PORT, and with
// implicit TLS KEEP_SUBMISSIONS_PORT, RFC 8314 §3.3) with
// smtp-server, which owns the wire (state machine, dot-stuffing, SASL, SIZE, STARTTLS); the
// hooks in on-*.ts call core. Outbound delivery runs here too (outbound/), on core's queue.
// The supervisor accepts the sockets; each is fed to its listener's SMTPServer as a connection.
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { AddressLimit } from '../../net/address-limit.ts';
import { guardOutput } from '../../net/output-guard.ts';
import { watchSlowCommands } from './slow-commands.ts';
import type { ListenerName } from '../../net/listeners.ts';
import type { Translator, TranslatorDeps } from '../types.ts';
import type { Mode, SmtpCtx } from './context.ts';
import { onAuth } from './on-auth.ts';
import { onMailFrom } from './on-mail-from.ts';
import { onRcptTo } from './on-rcpt-to.ts';
import { onData } from './on-data.ts';
import { startOutbound } from './outbound/runner.ts';
import { localDomainsOf, openDkimKeys, resolverOf } from '../../core/mail-auth/site.ts';
import { createInboundAuth, type InboundMode } from '../../core/mail-auth/inbound.ts';
import { keepOwnEnhancedCodes } from './enhanced-status.ts';
import { warm as warmMailauth } from '../../core/mail-auth/library.ts';

const MAX_RECIPIENTS = 1000;
const DRAIN_MS = 10_000;
const HEADER_ROOM = 1024;

/** Output guards by peer (address and port), so STARTTLS can hand the TLS socket to its guard. */
const guards = new Map<string, ReturnType<typeof guardOutput>>();
const peerOf = (s: { remoteAddress?: string | undefined; remotePort?: number | undefined }) => `${s.remoteAddress ?? ''}:${s.remotePort ?? ''}`;

function createServer(deps: TranslatorDeps, c: SmtpCtx, opts: { isImplicitTls: boolean }): SMTPServer {
  const { config } = deps;
  const isMx = c.mode === 'mx';
  const server = new SMTPServer({
    secure: opts.isImplicitTls,
    name: config.domain,
    banner: config.humanNode,
    key: deps.tls.key, cert: deps.tls.cert,
    // what we add (Received:, and on submission Date:/Message-ID:) must fit core's limit too
    size: Math.max(HEADER_ROOM, config.maxMessageSize - HEADER_ROOM), rejectOversized: true,
    // the MX takes mail for local recipients from anyone and offers no AUTH; submission needs AUTH
    authOptional: isMx, disabledCommands: isMx ? ['AUTH'] : [],
    authMethods: ['PLAIN', 'LOGIN'],
    // TLS-before-AUTH is decided per connection in on-auth.ts (loopback may be exempt)
    allowInsecureAuth: true,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    maxRecipients: MAX_RECIPIENTS,
    maxCommandLength: config.maxLineLength,
    socketTimeout: config.smtpIdleTimeout * 1000,
    logger: false,
    onAuth: onAuth(c), onMailFrom: onMailFrom(c), onRcptTo: onRcptTo(c), onData: onData(c),
    // after STARTTLS the raw socket carries TLS records: watch the decrypted lines instead
    onSecure(socket, _session, callback) {
      watchSlowCommands(socket as Socket, { seconds: config.commandTimeout, log: c.log });
      guards.get(peerOf(socket as Socket))?.writer(socket as Socket);
      callback();
    },
  });
  // per-connection socket errors (a client resetting) surface here; they are not ours to crash on
  server.on('error', (err: Error) => c.log.debug({ err: err.message }, 'smtp: connection error'));
  return server;
}

export function start(deps: TranslatorDeps): Translator {
  const log = deps.log.child({ proto: 'smtp' });
  // first start: a DKIM key pair per local domain into the data directory (keepd dns prints them)
  const { keys: dkimKeys, created } = openDkimKeys(deps.config);
  created.then(
    (domains) => { if (domains.length) log.warn({ domains }, 'DKIM keys generated; publish them with the records `keepd dns` prints'); },
    (err: unknown) => log.error({ err }, 'DKIM keys could not be generated; outbound mail goes unsigned'),
  );
  const outbound = startOutbound({ ...deps, dkimKeys });
  const inFlight = new Set<Promise<unknown>>();
  keepOwnEnhancedCodes();
  warmMailauth();
  const inboundAuth = createInboundAuth({
    mode: deps.config.inboundAuth as InboundMode, resolve: resolverOf(deps.config), authservId: deps.config.domain.toLowerCase(),
    localDomains: localDomainsOf(deps.config), keys: dkimKeys,
  });
  const ctxFor = (mode: Mode): SmtpCtx => ({
    core: deps.core, config: deps.config, log, metrics: deps.metrics, mode, targets: new WeakMap(), inFlight, inboundAuth,
    kickOutbound: () => outbound.kick(),
  });
  const servers: Record<'smtp' | 'submission' | 'submissions', SMTPServer> = {
    smtp: createServer(deps, ctxFor('mx'), { isImplicitTls: false }),
    submission: createServer(deps, ctxFor('submission'), { isImplicitTls: false }),
    submissions: createServer(deps, ctxFor('submission'), { isImplicitTls: true }),
  };
  // smtp-server keeps its own TLS contexts: rebuild them when the certificate is replaced (ACME)
  const stopFollowingTls = deps.tls.onReplace(() => {
    for (const s of Object.values(servers)) s.updateSecureContext({ key: deps.tls.key, cert: deps.tls.cert });
  });
  const perAddress = new AddressLimit(() => deps.config.maxConnectionsPerAddress);
  return {
    listeners: ['smtp', 'submission', 'submissions'],
    handle(socket: Socket, listener: ListenerName) {
      const server = listener === 'smtp' || listener === 'submission' || listener === 'submissions' ? servers[listener] : undefined;
      if (!server) {
        socket.destroy();
        return;
      }
      if (!perAddress.take(socket, listener)) {
        deps.log.warn({ proto: 'smtp', host: socket.remoteAddress }, 'refused: too many connections from one address');
        socket.on('error', () => socket.destroy());
        socket.end('421 4.7.0 Too many connections from your address; try again later\r\n');
        return;
      }
      watchSlowCommands(socket, { seconds: deps.config.commandTimeout, log });
      // replies wait for a client that reads (smtp-server waits for its socket to drain before the
      // next command); one that stops reading is cut off (issue 16)
      const peer = peerOf(socket);
      guards.set(peer, guardOutput(socket, {
        maxBuffered: deps.config.sessionMaxBuffered, watchAbove: 0, stallMs: deps.config.sessionStallTimeout * 1000, log,
        onStall: (w) => { if (w.writable) w.write('421 4.4.2 Too much unread output; closing\r\n'); },
      }));
      socket.once('close', () => guards.delete(peer));
      // the same path a listening SMTPServer takes for an accepted socket (STARTTLS included)
      server.server.emit('connection', socket);
    },
    async close() {
      stopFollowingTls();
      await outbound.close();
      // let messages being committed finish, so their clients get the 250 they are owed
      const drain = Promise.allSettled([...inFlight]);
      await Promise.race([drain, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
      await Promise.all(Object.values(servers).map((s) => new Promise<void>((resolve) => {
        for (const conn of (s as unknown as { connections: Set<{ send(code: number, text: string): void; close(): void }> }).connections) {
          conn.send(421, `${deps.config.domain} Service shutting down`);
          conn.close();
        }
        s.close(() => resolve());
      })));
    },
  };
}
