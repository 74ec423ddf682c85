// The recipient resolver: who a recipient is, for every way mail is addressed (native ENT0, SMTP
// RCPT TO, NNTP). A user by name, by any of their addresses, or as `user @ node` / `user@node`
// where node is this server's node name or any local domain (the stock Citadel client addresses
// a reply to `alice @ keep`); a room by its list address; any other valid Internet address is
// remote. Case-insensitive; reads only, no access check (the caller decides about relaying).
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
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?';
const DOMAIN_RE = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$|^\\[[0-9a-f:.]+\\]$`, 'iu');
/** an Internet domain: at least two labels, or an address literal */
const INTERNET_DOMAIN_RE = new RegExp(`^(?:${LABEL}\\.)+${LABEL}$|^\\[[0-9a-f:.]+\\]$`, 'iu');
/** a local part here: an address's local part or a user name (which may hold spaces) */
const LOCAL_RE = /^[^\s@<>()[\]\\,;:"](?:[^@<>()[\]\\,;:"]*[^\s@<>()[\]\\,;:"])?$/u;
const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} .'-]{0,63}$/u;

export function createRecipients(ctx: Ctx, deps: { users: Users }) {
  const { dbs } = ctx.store;

  const localDomains = () => new Set([ctx.settings.domain, ...ctx.settings.localDomains].map((d) => d.toLowerCase()));
  /** domains that name this server: the local mail domains and the node name */
  const isHere = (domain: string) => localDomains().has(domain) || domain === ctx.settings.nodeName.toLowerCase();

  const split = (address: string): { local: string; domain: string } => {
    const a = address.trim();
    if (a.length > 320 || !ADDRESS_RE.test(a)) throw new CoreError('invalid', `'${address.trim()}' is not a valid mail address.`);
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

  const raise = (err: Error): never => { throw err; };
  const noSuch = (r: string) => new CoreError('not-found', `No mailbox here by the name <${r.trim()}>.`);

  /** A user (not deleted) by name or address, with the address mail to them is shown under. */
  const localUser = (key: string, shown?: string): Recipient | undefined => {
    const user = deps.users.findByAddress(key);
    if (!user || user.level === 0) return undefined;
    return { kind: 'user', usernum: user.usernum, address: shown ?? user.addresses[0] ?? `${user.name}@${ctx.settings.domain}` };
  };

  return {
    /** True when mail for this domain is delivered here (KEEP_DOMAIN and KEEP_LOCAL_DOMAINS). */
    isLocalDomain(domain: string): boolean {
      return localDomains().has(domain.toLowerCase());
    },

    /**
     * Resolve one recipient: a local user or room list address, or a remote Internet address.
     * A local name or address that matches nothing is not-found; something that is neither
     * local nor a valid Internet address is invalid. Reads only.
     */
    resolve(recipient: string): Recipient {
      const r = recipient.trim();
      const at = /^(.*?)\s*@\s*([^\s@]+)$/.exec(r);
      if (!at) {
        if (!NAME_RE.test(r)) throw new CoreError('invalid', `'${r}' is not a user name or a mail address.`);
        return localUser(r) ?? raise(noSuch(r));
      }
      const domain = at[2]!.toLowerCase();
      if (isHere(domain)) {
        if (!LOCAL_RE.test(at[1]!)) throw new CoreError('invalid', `'${r}' is not a valid mail address.`);
        // the node name stands for the main mail domain; a local part may be a name with spaces
        const isMailDomain = localDomains().has(domain);
        const full = `${at[1]}@${isMailDomain ? domain : ctx.settings.domain}`.toLowerCase();
        const user = localUser(full, isMailDomain ? full : undefined);
        if (user) return user;
        const roomnum = roomByListAddress(at[1]!.toLowerCase(), full);
        if (roomnum !== undefined) return { kind: 'room', roomnum, address: full };
        const control = parseListControl(at[1]!);
        const listDomain = full.slice(full.lastIndexOf('@') + 1);
        const listRoom = control ? roomByListAddress(control.list, `${control.list}@${listDomain}`) : undefined;
        if (control && listRoom !== undefined) return { kind: 'list-control', roomnum: listRoom, address: full, control };
        throw noSuch(r);
      }
      const { local } = split(r);
      if (!INTERNET_DOMAIN_RE.test(domain)) throw new CoreError('invalid', `'${domain}' is neither this node nor an Internet domain.`);
      return { kind: 'remote', address: `${local}@${domain}` };
    },

    /** Validate an address's syntax (MAIL FROM); throws invalid. */
    check(address: string): void {
      split(address);
    },
  };
}

export type Recipients = ReturnType<typeof createRecipients>;
