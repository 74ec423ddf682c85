// The native translator (the Citadel client protocol, specified in protocol/): serves the
// 'native' listener and the implicit-TLS 'native-tls' listener, caps connections per address.
import type { Socket } from 'node:net';
import { upgradeToTls } from '../../net/tls.ts';
import { AddressLimit } from '../../net/address-limit.ts';
import type { ListenerName } from '../../net/listeners.ts';
import type { Translator, TranslatorDeps } from '../types.ts';
import { ERR, errorCode } from './codes.ts';
import { Session } from './session.ts';

const hostOf = (socket: Socket): string => (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');

export function start(deps: TranslatorDeps): Translator {
  const sessions = new Set<Session>();
  const perAddress = new AddressLimit(() => deps.config.maxConnectionsPerAddress);
  let nextCid = 1;
  let isClosing = false;

  deps.metrics.gauge('keep_native_sessions', 'open native protocol sessions', () => sessions.size);

  return {
    listeners: ['native', 'native-tls'],

    handle(plain: Socket, listener: ListenerName) {
      const host = hostOf(plain);
      const isTls = listener === 'native-tls';
      if (isClosing || !perAddress.take(plain, listener)) {
        const socket = isTls ? upgradeToTls(plain, deps.tls) : plain;
        deps.log.warn({ proto: 'native', host }, isClosing ? 'refused: shutting down' : 'refused: too many connections from one address');
        socket.on('error', () => socket.destroy());
        socket.end(`${errorCode(ERR.MAX_SESSIONS_EXCEEDED)} Too many connections from your address; try again later.\n`);
        return;
      }
      const cid = nextCid++;
      const session = new Session(deps, plain, {
        cid, host, isTls,
        onClose: () => sessions.delete(session),
      });
      sessions.add(session);
    },

    async close() {
      isClosing = true;
      for (const s of sessions) s.shutdown();
      // bounded wait for sockets to finish their last writes
      const deadline = Date.now() + 3000;
      while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
