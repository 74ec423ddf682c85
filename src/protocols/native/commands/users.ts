// User information (protocol/users.md): RBIO, EBIO, LIST.
import { ERR } from '../codes.ts';
import { fail, listing, receive } from '../reply.ts';
import { fieldValue, textLines } from '../render.ts';
import type { CommandTable } from './types.ts';

const MAX_BIO = 16 * 1024;

export const userCommands: CommandTable = {
  RBIO: {
    needs: 'room',
    summary: "A user's biography: name (§RBIO)",
    errors: { 'not-found': ERR.NO_SUCH_USER },
    run({ s }, c) {
      const name = c.rest.trim();
      if (!name) fail(ERR.ILLEGAL_VALUE, 'Usage: RBIO name');
      const u = s.core.users.get(name);
      if (u.level === 0) fail(ERR.NO_SUCH_USER, `No such user '${name}'.`);
      const head = [fieldValue(u.name), u.usernum, u.level, u.lastCall, u.timesCalled, u.posted].join('|');
      return listing(head, u.bio ? textLines(u.bio) : [`${u.name} has no bio on file.`]);
    },
  },
  EBIO: {
    needs: 'room',
    summary: 'Replace your biography (4xx, lines) (§EBIO)',
    run({ s, actor }) {
      return receive('Transmit your bio', async (lines) => {
        const bio = lines.join('\n');
        if (Buffer.byteLength(bio) > MAX_BIO) fail(ERR.TOO_BIG, 'Bio too long.');
        await s.core.users.update(actor, actor.usernum, { bio });
      });
    },
  },
  LIST: {
    needs: 'room',
    summary: 'Users: name|axlevel|usernum|lastcall|timescalled|posted|| (optional pattern) (§LIST)',
    run({ s, actor }, c) {
      const pattern = c.rest.trim().toLowerCase();
      const users = s.core.users.list(actor).filter((u) => !pattern || u.name.toLowerCase().includes(pattern));
      return listing('User list:', users.map((u) => [fieldValue(u.name), u.level, u.usernum, u.lastCall, u.timesCalled, u.posted, '', ''].join('|')));
    },
  },
};

