// native translator: not implemented yet (its issue builds it); connections are closed.
import type { Translator, TranslatorDeps } from '../types.ts';

export function start(_deps: TranslatorDeps): Translator {
  return {
    listeners: [],
    handle(socket) {
      socket.destroy();
    },
    async close() {},
  };
}
