// AUTHINFO USER and AUTHINFO PASS (RFC 4643 §2.3) through core.users.authenticate, which throttles
// failures per address and per account. Failures also count against the bad-command limit.
import { isCoreError } from '../../../core/index.ts';
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { Session } from '../session.ts';
import type { CommandResult, CommandTable } from './types.ts';

function refuseIfLoggedIn(s: Session): void {
  if (s.login.state === 'authenticated') throw new NntpError(CODE.NOT_PERMITTED, 'Already authenticated');
  if (!s.mayAuthenticate) throw new NntpError(CODE.ENCRYPTION_REQUIRED, 'Encryption required: use STARTTLS before AUTHINFO');
}

function user(s: Session, rest: string): CommandResult {
  refuseIfLoggedIn(s);
  const name = rest.trim();
  if (!name) throw new NntpError(CODE.SYNTAX_ERROR, 'Usage: AUTHINFO USER name');
  s.login = { state: 'user-given', userName: name };
  return { code: CODE.PASSWORD_REQUIRED, text: 'Password required' };
}

async function pass(s: Session, rest: string): Promise<CommandResult> {
  refuseIfLoggedIn(s);
  if (s.login.state !== 'user-given') throw new NntpError(CODE.AUTH_OUT_OF_SEQUENCE, 'Authentication commands issued out of sequence');
  const name = s.login.userName;
  s.login = { state: 'anonymous' };
  try {
    const { user: u } = await s.core.users.authenticate({ name, password: rest, origin: `nntp:${s.host}` });
    s.loggedIn({ kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin: `nntp:${s.host}` });
    return { code: CODE.AUTH_ACCEPTED, text: 'Authentication accepted' };
  } catch (err) {
    if (isCoreError(err) && (err.kind === 'bad-credentials' || err.kind === 'limit')) throw new NntpError(CODE.AUTH_FAILED, err.message);
    throw err;
  }
}

export const authinfoCommands: CommandTable = {
  'AUTHINFO USER': { needs: 'nothing', summary: 'name  give the user name', run: (s, c) => user(s, c.rest) },
  'AUTHINFO PASS': { needs: 'nothing', summary: 'password  give the password', run: (s, c) => pass(s, c.rest) },
};
