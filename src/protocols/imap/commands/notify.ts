// NOTIFY SET / NOTIFY NONE (RFC 5465 §3, grammar §8): which folders and events this session is
// told about without asking. The watching itself is ../notify.ts; the session sends what it owes.
import { command, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { decodeMailboxName, type Value } from '../parser.ts';
import { parseFetchItems } from './fetch-items.ts';
import type { MailboxFilter, NotifyEvent, NotifyGroup, NotifySpec } from '../notify.ts';

const EVENTS: Record<string, NotifyEvent> = {
  MESSAGENEW: 'MessageNew', MESSAGEEXPUNGE: 'MessageExpunge', FLAGCHANGE: 'FlagChange',
  MAILBOXNAME: 'MailboxName', SUBSCRIPTIONCHANGE: 'SubscriptionChange',
};
const BADEVENT = `BADEVENT (${Object.values(EVENTS).join(' ')})`;

const word = (v: Value | undefined): string => (v?.t === 'atom' ? v.v.toUpperCase() : '');

function names(v: Value | undefined, decode: (wire: string) => string): string[] {
  if (!v) throw new ImapError('BAD', 'NOTIFY: a mailbox filter needs mailbox names');
  const list = v.t === 'list' ? v.v : [v];
  if (list.length === 0) throw new ImapError('BAD', 'NOTIFY: a mailbox filter needs mailbox names');
  return list.map((n) => {
    if (n.t === 'list') throw new ImapError('BAD', 'NOTIFY: expected a mailbox name');
    return decode(n.v);
  });
}

function group(v: Value, decode: (wire: string) => string): NotifyGroup {
  if (v.t !== 'list' || v.v.length < 2) throw new ImapError('BAD', 'NOTIFY: expected (mailboxes events)');
  const parts = v.v;
  const kind = word(parts[0]).toLowerCase();
  let filter: MailboxFilter;
  let i = 1;
  switch (kind) {
    case 'selected': case 'selected-delayed': case 'inboxes': case 'personal': case 'subscribed': filter = { kind }; break;
    case 'subtree': case 'mailboxes': filter = { kind, names: names(parts[i++], decode) }; break;
    default: throw new ImapError('BAD', 'NOTIFY: unknown mailbox filter');
  }
  const ev = parts[i++];
  if (i !== parts.length || !ev) throw new ImapError('BAD', 'NOTIFY: expected (mailboxes events)');
  const g: NotifyGroup = { filter, events: new Set() };
  if (ev.t !== 'list') {
    if (word(ev) !== 'NONE') throw new ImapError('BAD', 'NOTIFY: events must be a list or NONE');
    return g;
  }
  for (let j = 0; j < ev.v.length; j++) {
    const name = EVENTS[word(ev.v[j])];
    if (!name) throw new ImapError('NO', 'NOTIFY: event not supported', BADEVENT);
    g.events.add(name);
    const atts = ev.v[j + 1];
    if (name === 'MessageNew' && atts?.t === 'list') {
      // fetch attributes with MessageNew are for the selected mailbox only (RFC 5465 §5.1)
      if (filter.kind !== 'selected' && filter.kind !== 'selected-delayed') throw new ImapError('BAD', 'NOTIFY: MessageNew fetch attributes need SELECTED');
      g.fetch = parseFetchItems(atts);
      j += 1;
    }
  }
  const has = (e: NotifyEvent) => g.events.has(e);
  // RFC 5465 §5: MessageNew and MessageExpunge go together, FlagChange needs both
  if (has('MessageNew') !== has('MessageExpunge') || (has('FlagChange') && !has('MessageNew'))) {
    throw new ImapError('BAD', 'NOTIFY: MessageNew and MessageExpunge go together, and FlagChange needs them');
  }
  return g;
}

/** NOTIFY arguments: NONE, or SET [STATUS] groups. `decode` turns a wire name into Unicode. */
export function parseNotify(args: Value[], decode: (wire: string) => string = decodeMailboxName): NotifySpec | undefined {
  const verb = word(args[0]);
  if (verb === 'NONE' && args.length === 1) return undefined;
  if (verb !== 'SET') throw new ImapError('BAD', 'NOTIFY SET or NOTIFY NONE');
  let i = 1;
  const wantsStatus = word(args[1]) === 'STATUS';
  if (wantsStatus) i += 1;
  const groups = args.slice(i).map((g) => group(g, decode));
  if (groups.length === 0) throw new ImapError('BAD', 'NOTIFY SET needs at least one event group');
  if (groups.filter((g) => g.filter.kind === 'selected' || g.filter.kind === 'selected-delayed').length > 1) {
    throw new ImapError('BAD', 'NOTIFY: SELECTED may be given once');
  }
  return { groups, wantsStatus };
}

export const notifyCommands: CommandTable = {
  NOTIFY: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const spec = parseNotify(cmd.args, (n) => s.nameFromWire(n));
      const n = s.notify(spec);
      if (n && spec?.wantsStatus) for (const l of n.initialStatus()) s.send(l);
      return ok(spec ? 'NOTIFY completed' : 'NOTIFY NONE completed');
    },
  }),
};
