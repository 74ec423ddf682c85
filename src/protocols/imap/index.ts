// IMAP translator (RFC 3501 and the extensions real clients use): one Session per connection
// on 'imap' (plain, STARTTLS) and 'imap-tls' (implicit TLS). Everything else is core's.
import type { Socket } from 'node:net';
import type { Translator, TranslatorDeps } from '../types.ts';
import { Session } from './session.ts';
import { MessageCache } from './message-cache.ts';
import { ModseqIndex } from './modseq.ts';

/** Messages whose records and rendered parts are kept (≈ 1–3 KiB each). */
const CACHED_MESSAGES = 20_000;

export function start(deps: TranslatorDeps): Translator {
  const sessions = new Set<Session>();
  const log = deps.log.child({ proto: 'imap' });
  const cache = new MessageCache(CACHED_MESSAGES);
  const modseqs = new ModseqIndex(deps.core);
  deps.metrics.gauge('keep_imap_sessions', 'open IMAP sessions', () => sessions.size);
  return {
    listeners: ['imap', 'imap-tls'],
    handle(socket: Socket, listener) {
      try {
        const s = new Session(socket, { ...deps, cache, modseqs }, { isImplicitTls: listener === 'imap-tls', onClose: (x) => sessions.delete(x) });
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
