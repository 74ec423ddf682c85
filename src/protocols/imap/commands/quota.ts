// QUOTA (RFC 9208): one quota root, "", over all of a user's own mailboxes, with the STORAGE
// resource in units of 1024 octets (QUOTA=RES-STORAGE); usage and limit are core's
// (core/policy/quota.ts, KEEP_QUOTA_MB). Rooms under Public/ are under no quota root. The
// administrator sets the limit, so SETQUOTA is refused (no QUOTASET capability).
import type { QuotaUsage } from '../../../core/index.ts';
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asString } from '../parser.ts';
import { resolveFolder } from '../folders.ts';

/** The only quota root: the user's own mailboxes together. */
export const QUOTA_ROOT = '';

/** The QUOTA response; with no limit set the root has no resources to report (RFC 9208 §5.1). */
export function quotaLine(u: QuotaUsage): string {
  const resources = u.limit === undefined ? '' : `STORAGE ${Math.ceil(u.bytes / 1024)} ${Math.floor(u.limit / 1024)}`;
  return `* QUOTA "" (${resources})\r\n`;
}

function sendQuota(s: Authed): void {
  s.send(quotaLine(s.core.quota.usage(s.actor)));
}

export const quotaCommands: CommandTable = {
  GETQUOTAROOT: command({
    needs: 'authenticated',
    async run(s, cmd) {
      if (cmd.args.length !== 1) throw new ImapError('BAD', 'GETQUOTAROOT needs one mailbox name');
      const folder = resolveFolder(s.core, s.actor, s.nameFromWire(asString(cmd.args[0], 'a mailbox name')));
      const name = s.wireName(folder.name);
      if (folder.isShared) {
        s.send(`* QUOTAROOT ${name}\r\n`);
        return ok('GETQUOTAROOT completed');
      }
      s.send(`* QUOTAROOT ${name} ""\r\n`);
      sendQuota(s);
      return ok('GETQUOTAROOT completed');
    },
  }),
  GETQUOTA: command({
    needs: 'authenticated',
    async run(s, cmd) {
      if (cmd.args.length !== 1) throw new ImapError('BAD', 'GETQUOTA needs one quota root');
      if (asString(cmd.args[0], 'a quota root') !== QUOTA_ROOT) throw new ImapError('NO', 'No such quota root; yours is ""', 'NONEXISTENT');
      sendQuota(s);
      return ok('GETQUOTA completed');
    },
  }),
  SETQUOTA: command({
    needs: 'authenticated',
    async run() {
      throw new ImapError('NO', 'Quotas are set by the administrator (KEEP_QUOTA_MB)', 'NOPERM');
    },
  }),
};
