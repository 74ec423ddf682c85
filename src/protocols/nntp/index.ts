// NNTP translator (RFC 3977 reader and posting, RFC 4643 AUTHINFO, RFC 4642 STARTTLS): every
// room a reader may see is a newsgroup (group-names.ts). server.ts imports only start().
import type { Translator, TranslatorDeps } from '../types.ts';
import { Session } from './session.ts';

export function start(deps: TranslatorDeps): Translator {
  const sessions = new Set<Session>();
  let nextCid = 1;
  return {
    listeners: ['nntp'],
    handle(socket) {
      const s = new Session(socket, deps, nextCid++, (gone) => sessions.delete(gone));
      sessions.add(s);
    },
    async close() {
      for (const s of [...sessions]) s.goodbye('Server shutting down');
    },
  };
}
