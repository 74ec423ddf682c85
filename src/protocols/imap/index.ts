// IMAP translator (RFC 3501 and the extensions real clients use): one Session per connection
// on 'imap' (plain, STARTTLS) and 'imap-tls' (implicit TLS). Everything else is core's.
import { AddressLimit } from '../../net/address-limit.ts';
import type { Socket } from 'node:net';
import type { Translator, TranslatorDeps } from '../types.ts';
import { Session } from './session.ts';
import { MessageCache } from './message-cache.ts';
import { ModseqIndex } from './modseq.ts';
import { RecentIndex } from './recent.ts';

/** Messages whose records and rendered parts are kept (≈ 1–3 KiB each). */
const CACHED_MESSAGES = 20_000;

export function start(deps: TranslatorDeps): Translator {
  const sessions = new Set<Session>();
  const log = deps.log.child({ proto: 'imap' });
  const cache = new MessageCache(CACHED_MESSAGES);
  const modseqs = new ModseqIndex(deps.core);
  const recent = new RecentIndex();
  deps.metrics.gauge('keep_imap_sessions', 'open IMAP sessions', () => sessions.size);
  const perAddress = new AddressLimit(() => deps.config.maxConnectionsPerAddress);
  return {
    listeners: ['imap', 'imap-tls'],
    handle(socket: Socket, listener) {
      if (!perAddress.take(socket, listener)) {
        log.warn({ host: socket.remoteAddress }, 'refused: too many connections from one address');
        socket.on('error', () => socket.destroy());
        // RFC 3501 §7.1.5: a BYE greeting refuses the connection (over TLS the handshake never ran: just close)
        if (listener === 'imap-tls') socket.destroy();
        else socket.end('* BYE Too many connections from your address; try again later\r\n');
        return;
      }
      try {
        const s = new Session(socket, { ...deps, cache, modseqs, recent }, { isImplicitTls: listener === 'imap-tls', onClose: (x) => sessions.delete(x) });
        sessions.add(s);
      } catch (err) {
        log.error({ err }, 'could not start an IMAP session');
        socket.destroy();
      }
    },
    async close() {
      for (const s of [...sessions]) s.bye('Server shutting down');
      modseqs.close();
    },
  };
}
