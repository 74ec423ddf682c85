// Commands valid in every state (RFC 3501 §6.1): CAPABILITY, NOOP, LOGOUT; ID (RFC 2971).
import { command, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { str } from '../render.ts';

export const anyCommands: CommandTable = {
  CAPABILITY: command({
    needs: 'any',
    async run(s) {
      s.send(`* CAPABILITY ${s.capabilities()}\r\n`);
      return ok('CAPABILITY completed');
    },
  }),
  // the session sends pending untagged updates before every tagged reply: that is NOOP's job
  NOOP: command({ needs: 'any', async run() { return ok('NOOP completed'); } }),
  CHECK: command({ needs: 'selected', async run() { return ok('CHECK completed'); } }),
  LOGOUT: command({
    needs: 'any',
    async run(s) {
      s.send('* BYE Logging out\r\n');
      s.logout();
      return ok('LOGOUT completed');
    },
  }),
  ID: command({
    needs: 'any',
    async run(s) {
      s.send(`* ID (${str('name')} ${str('Keep')} ${str('vendor')} ${str(s.config.humanNode)})\r\n`);
      return ok('ID completed');
    },
  }),
  COMPRESS: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const mech = cmd.args[0]?.t === 'atom' ? cmd.args[0].v.toUpperCase() : '';
      if (mech !== 'DEFLATE' || cmd.args.length !== 1) throw new ImapError('BAD', 'Only COMPRESS DEFLATE is supported');
      if (s.isCompressed) throw new ImapError('NO', 'Compression is already active', 'COMPRESSIONACTIVE');
      s.startCompression();
      return ok('DEFLATE active');
    },
  }),
  ENABLE: command({
    needs: 'authenticated',
    // of the ENABLE-able extensions CONDSTORE, QRESYNC, UTF8=ACCEPT and IMAP4rev2 are offered
    async run(s, cmd) {
      const wants = cmd.args.map((a) => (a.t === 'list' ? '' : a.v.toUpperCase()));
      const enabled = ['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4REV2'].filter((x) => wants.includes(x));
      if (enabled.includes('UTF8=ACCEPT')) s.enableUtf8();
      if (enabled.includes('CONDSTORE')) s.enableCondstore();
      if (enabled.includes('QRESYNC')) s.enableQresync();
      if (enabled.includes('IMAP4REV2')) s.enableRev2();
      s.send(`* ENABLED${enabled.map((e) => ` ${e === 'IMAP4REV2' ? 'IMAP4rev2' : e}`).join('')}\r\n`);
      return ok('ENABLE completed');
    },
  }),
};
