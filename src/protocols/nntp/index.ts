// NNTP translator (RFC 3977 reader and posting, RFC 4643 AUTHINFO, RFC 4642 STARTTLS): every
// room a reader may see is a newsgroup (group-names.ts). server.ts imports only start().
// NNTPS (KEEP_NNTPS_PORT) is the same session behind implicit TLS (RFC 4642 §1).
import { AddressLimit } from '../../net/address-limit.ts';
import { upgradeToTls } from '../../net/tls.ts';
import type { Translator, TranslatorDeps } from '../types.ts';
import { Session } from './session.ts';

export function start(deps: TranslatorDeps): Translator {
  const sessions = new Set<Session>();
  let nextCid = 1;
  const perAddress = new AddressLimit(() => deps.config.maxConnectionsPerAddress);
  return {
    listeners: ['nntp', 'nntps'],
    handle(plain, listener) {
      const isTls = listener === 'nntps';
      const socket = isTls ? upgradeToTls(plain, deps.tls) : plain;
      if (!perAddress.take(plain, listener)) {
        deps.log.warn({ proto: 'nntp', host: socket.remoteAddress }, 'refused: too many connections from one address');
        socket.on('error', () => socket.destroy());
        socket.end('400 Too many connections from your address; try again later\r\n');
        return;
      }
      const s = new Session(socket, deps, nextCid++, (gone) => sessions.delete(gone));
      s.isTls = isTls; // no STARTTLS offered, AUTHINFO allowed
      sessions.add(s);
    },
    async close() {
      for (const s of [...sessions]) s.goodbye('Server shutting down');
    },
  };
}
