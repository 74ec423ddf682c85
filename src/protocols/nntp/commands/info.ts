// CAPABILITIES, MODE READER, DATE, QUIT (RFC 3977 §5, §7.1).
import { CODE } from '../codes.ts';
import { compactDate } from '../render.ts';
import type { Session } from '../session.ts';
import type { CommandTable } from './types.ts';

/** RFC 3977 §5.2; AUTHINFO and STARTTLS only while they can still be used (RFC 4643 §2.2, RFC 4642 §2.2). */
function capabilities(s: Session): string[] {
  const isLoggedIn = s.login.state === 'authenticated';
  const caps = ['VERSION 2', 'READER', 'POST', 'HDR', 'NEWNEWS', 'OVER MSGID', 'LIST ACTIVE NEWSGROUPS ACTIVE.TIMES OVERVIEW.FMT HEADERS'];
  // AUTHINFO without USER: possible, but not before TLS (RFC 4643 §2.2)
  if (!isLoggedIn) caps.push(s.mayAuthenticate ? 'AUTHINFO USER' : 'AUTHINFO');
  if (!isLoggedIn && !s.isTls) caps.push('STARTTLS');
  caps.push('IMPLEMENTATION Keep');
  return caps;
}

export const infoCommands: CommandTable = {
  CAPABILITIES: {
    needs: 'nothing',
    summary: '[keyword]  what this server can do',
    run: (s) => ({ code: CODE.CAPABILITIES_FOLLOW, text: 'Capability list follows', data: capabilities(s) }),
  },
  'MODE READER': {
    needs: 'nothing',
    summary: 'switch to reader mode (always on here)',
    run: () => ({ code: CODE.READY_POSTING, text: 'Reader mode, posting permitted after AUTHINFO' }),
  },
  DATE: {
    needs: 'nothing',
    summary: 'the server\'s time in UTC',
    run: () => ({ code: CODE.DATE, text: compactDate(Date.now()) }),
  },
  QUIT: {
    needs: 'nothing',
    summary: 'close the connection',
    run: () => ({ code: CODE.CLOSING, text: 'Goodbye', after: { kind: 'close' } }),
  },
};
