// STARTTLS (RFC 4642 §2): 382, then the session wraps the socket in TLS with deps.tls.
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import type { CommandTable } from './types.ts';

export const starttlsCommands: CommandTable = {
  STARTTLS: {
    needs: 'nothing',
    summary: 'begin TLS negotiation',
    run: (s) => {
      if (s.isTls) throw new NntpError(CODE.NOT_PERMITTED, 'Already using TLS');
      if (s.login.state === 'authenticated') throw new NntpError(CODE.NOT_PERMITTED, 'STARTTLS is not allowed after authentication');
      return { code: CODE.CONTINUE_TLS, text: 'Continue with TLS negotiation', after: { kind: 'starttls' } };
    },
  },
};
