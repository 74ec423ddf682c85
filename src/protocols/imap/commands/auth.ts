// Not-authenticated commands (RFC 3501 §6.2): STARTTLS, LOGIN, AUTHENTICATE PLAIN (RFC 4616,
// with SASL-IR, RFC 4959). Passwords are checked, throttled and audited by core.
import { CoreError } from '../../../core/index.ts';
import { command, type CommandTable, type SessionApi } from './types.ts';
import { ImapError, ok, type Reply } from '../errors.ts';
import { asAtom, asString } from '../parser.ts';

async function logIn(s: SessionApi, name: string, password: string): Promise<Reply> {
  if (!s.mayAuthenticate) throw new ImapError('NO', 'Use STARTTLS or the TLS port before sending a password', 'PRIVACYREQUIRED');
  try {
    const { user } = await s.core.users.authenticate({ name, password, origin: s.origin });
    s.login({ kind: 'user', usernum: user.usernum, name: user.name, level: user.level, origin: s.origin });
    s.log.info('logged in');
    return ok('Logged in', `CAPABILITY ${s.capabilities()}`);
  } catch (err) {
    if (err instanceof CoreError && (err.kind === 'bad-credentials' || err.kind === 'limit')) s.noteAuthFailure();
    throw err;
  }
}

/** SASL PLAIN: base64 of authzid NUL authcid NUL password. */
function plain(s: SessionApi, b64: string): Promise<Reply> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new ImapError('BAD', 'Invalid base64 in SASL response');
  const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) throw new ImapError('BAD', 'Malformed PLAIN response');
  const [authz, authc, password] = parts as [string, string, string];
  if (authz && authz.toLowerCase() !== authc.toLowerCase()) throw new ImapError('NO', 'Acting as another user is not allowed', 'AUTHORIZATIONFAILED');
  return logIn(s, authc, password);
}

export const authCommands: CommandTable = {
  STARTTLS: command({
    needs: 'not-authenticated',
    async run(s) {
      if (s.isTls) throw new ImapError('BAD', 'TLS is already active');
      s.startTls();
      return ok('Begin TLS negotiation now');
    },
  }),
  LOGIN: command({
    needs: 'not-authenticated',
    async run(s, cmd) {
      if (cmd.args.length !== 2) throw new ImapError('BAD', 'LOGIN needs a user name and a password');
      return logIn(s, asString(cmd.args[0], 'user name'), asString(cmd.args[1], 'password'));
    },
  }),
  AUTHENTICATE: command({
    needs: 'not-authenticated',
    async run(s, cmd) {
      const mech = asAtom(cmd.args[0], 'a SASL mechanism').toUpperCase();
      if (mech !== 'PLAIN') throw new ImapError('NO', `Mechanism ${mech.slice(0, 20)} is not supported`, 'CANNOT');
      const initial = cmd.args[1];
      if (initial) {
        const ir = asAtom(initial, 'an initial response');
        return plain(s, ir === '=' ? '' : ir);
      }
      s.send('+ \r\n');
      s.awaitContinuation({ kind: 'sasl', tag: cmd.tag, finish: (line) => plain(s, line) });
      return 'pending';
    },
  }),
};
