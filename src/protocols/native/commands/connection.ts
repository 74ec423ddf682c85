// Connection-level commands (protocol/session.md): INFO, IDEN, MSGP, MESG, NOOP, QNOP, TIME,
// QUIT, STLS, MRTG, HELP. None needs a login.
import { loadavg } from 'node:os';
import { ERR } from '../codes.ts';
import { field } from '../parser.ts';
import { fail, listing, noReply, ok, type Reply } from '../reply.ts';
import { textLines } from '../render.ts';
import type { Session } from '../session.ts';
import type { CommandTable } from './types.ts';
import { systemText } from './texts.ts';

const SOFTWARE = 'Keep';
const REVISION = '902';

/** INFO's 25 lines, in Citadel's order (protocol/session.md §INFO). */
export function infoLines(s: Session): string[] {
  const c = s.config;
  return [
    String(s.presence.sid), c.nodeName, c.humanNode, c.domain, SOFTWARE, REVISION, c.location, c.adminUser, '0',
    '<more>', '1', '1', '', '1', '0', c.registration !== 'closed' ? '0' : '1', 'UTC', loadavg()[0]!.toFixed(2), '0', '0',
    '0', '0', `${SOFTWARE} ${process.env.npm_package_version ?? '0.1.0'}`, '0', '0',
  ].map((l) => l.replace(/[\r\n]/g, ' '));
}

const uptime = (s: Session): string => {
  const secs = Math.floor((Date.now() - s.deps.runtime.supervisorStarted) / 1000);
  const d = Math.floor(secs / 86400);
  const h = Math.floor((secs % 86400) / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${d} days, ${h} hours, ${m} minutes`;
};

export const connectionCommands: CommandTable = {
  INFO: {
    needs: 'none',
    summary: 'Server information, 25 lines (§INFO)',
    run: (s) => listing('Server info:', infoLines(s)),
  },
  IDEN: {
    needs: 'none',
    summary: 'Identify the client software (§IDEN)',
    run(s, c) {
      // field 4 (host name) is junk from the stock client; only the software name is kept
      const software = `${field(c.args, 3)} ${field(c.args, 2)}`.trim().slice(0, 64);
      s.presence.update({ client: software || 'native' });
      return ok('Ok');
    },
  },
  MSGP: {
    needs: 'none',
    summary: 'Preferred message formats (§MSGP)',
    run(_s, c) {
      if (c.rest.trim().toLowerCase() === 'dont_decode') return ok('MSG4 will not pre-decode messages.');
      return ok('Preferred MIME formats have been set.');
    },
  },
  MESG: {
    needs: 'none',
    summary: 'A system text: hello, goodbye, changepw, register, entermsg, … (§MESG)',
    async run(s, c) {
      const name = c.rest.trim().toLowerCase();
      const text = await systemText(s, name);
      if (text === undefined) fail(ERR.FILE_NOT_FOUND, `Cannot open '${name}'.`);
      return listing(name, textLines(text));
    },
  },
  NOOP: {
    needs: 'none',
    isKeepalive: true,
    summary: 'Keepalive; `*` when instant messages wait (§NOOP)',
    run: () => ok('ok', { mayStar: true }),
  },
  QNOP: {
    needs: 'none',
    isKeepalive: true,
    summary: 'Keepalive without a reply (§QNOP)',
    run: () => noReply,
  },
  TIME: {
    needs: 'none',
    isKeepalive: true,
    summary: 'Server time: epoch|gmtoff|isdst|serverstart (§TIME)',
    run(s) {
      const now = Math.floor(Date.now() / 1000);
      return ok(`${now}|0|0|${Math.floor(s.deps.runtime.supervisorStarted / 1000)}`);
    },
  },
  QUIT: {
    needs: 'none',
    summary: 'End the connection (§QUIT)',
    run: (): Reply => ok('Goodbye.', { after: 'close' }),
  },
  STLS: {
    needs: 'none',
    summary: 'Start TLS on this connection (§STLS)',
    run(s) {
      if (s.isTls) fail(ERR.NOT_HERE, 'TLS is already in use.');
      return ok('Begin TLS negotiation now', { after: 'starttls' });
    },
  },
  MRTG: {
    needs: 'none',
    summary: 'Statistics for graphing: MRTG users | MRTG messages (§MRTG)',
    run(s, c) {
      const what = c.rest.trim().toLowerCase();
      let values: [number, number];
      if (what === 'users') {
        values = [s.core.presence.connectionCount(), s.core.presence.list().length];
      } else if (what === 'messages') {
        values = [s.core.messages.count(), 0];
      } else fail(ERR.ILLEGAL_VALUE, "Usage: MRTG users | MRTG messages");
      return listing('ok', [String(values[0]), String(values[1]), uptime(s), s.config.humanNode]);
    },
  },
};
