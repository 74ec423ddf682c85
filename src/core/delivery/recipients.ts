// Recipient resolution for mail: local domains, users by name or any address (their aliases),
// room list addresses, and everything else as remote. Case-insensitive local parts.
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Users } from '../users/users.ts';
import { parseListControl, type ListControl } from './list.ts';

export type Recipient =
  | { kind: 'user'; usernum: number; address: string }
  | { kind: 'room'; roomnum: number; address: string }
  /** a list's bounce (VERP) or unsubscribe address: handled, never placed in the room */
  | { kind: 'list-control'; roomnum: number; address: string; control: ListControl }
  | { kind: 'remote'; address: string };

// deliberately permissive (SMTPUTF8 local parts), but one @, no spaces or angle brackets
const ADDRESS_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()\\,;:"]+$/u;
const DOMAIN_RE = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.)*[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?$|^\[[0-9a-f:.]+\]$/iu;

export function createRecipients(ctx: Ctx, deps: { users: Users }) {
  const { dbs } = ctx.store;

  const localDomains = () => new Set([ctx.settings.domain, ...ctx.settings.localDomains].map((d) => d.toLowerCase()));

  const split = (address: string): { local: string; domain: string } => {
    const a = address.trim();
    if (a.length > 320 || !ADDRESS_RE.test(a)) throw new CoreError('invalid', `'${address}' is not a valid mail address.`);
    const at = a.lastIndexOf('@');
    const domain = a.slice(at + 1).toLowerCase();
    if (!DOMAIN_RE.test(domain)) throw new CoreError('invalid', `'${domain}' is not a valid mail domain.`);
    return { local: a.slice(0, at), domain };
  };

  const roomByListAddress = (local: string, full: string): number | undefined => {
    for (const { value: room } of dbs.rooms.getRange()) {
      if (room.deletedAt || !room.listAddress) continue;
      const l = room.listAddress.toLowerCase();
      if (l === local || l === full) return room.roomnum;
    }
    return undefined;
  };

  return {
    /** True when mail for this domain is delivered here (KEEP_DOMAIN and KEEP_LOCAL_DOMAINS). */
    isLocalDomain(domain: string): boolean {
      return localDomains().has(domain.toLowerCase());
    },

    /**
     * Resolve one envelope address. Local: a user (any of their addresses, or their name as the
     * local part) or a room list address, else not-found; non-local domains are remote;
     * malformed addresses are invalid. Reads only; no access check (the caller decides relaying).
     */
    resolve(address: string): Recipient {
      const { local, domain } = split(address);
      if (!localDomains().has(domain)) return { kind: 'remote', address: address.trim() };
      const full = `${local}@${domain}`.toLowerCase();
      const user = deps.users.findByAddress(full);
      if (user && user.level > 0) return { kind: 'user', usernum: user.usernum, address: full };
      const roomnum = roomByListAddress(local.toLowerCase(), full);
      if (roomnum !== undefined) return { kind: 'room', roomnum, address: full };
      const control = parseListControl(local);
      const listRoom = control ? roomByListAddress(control.list, `${control.list}@${domain}`) : undefined;
      if (control && listRoom !== undefined) return { kind: 'list-control', roomnum: listRoom, address: full, control };
      throw new CoreError('not-found', `No mailbox here by the name <${address.trim()}>.`);
    },

    /** Validate an address's syntax (MAIL FROM); throws invalid. */
    check(address: string): void {
      split(address);
    },
  };
}

export type Recipients = ReturnType<typeof createRecipients>;
