// NOTIFY (RFC 5465) state of one session: which folders it watches for which events, fed by
// core's events (the same feed IDLE uses), and the untagged responses that are owed: STATUS for
// a watched folder other than the selected one whose messages or flags changed, LIST for a
// folder created, renamed or deleted (MailboxName) or (un)subscribed (SubscriptionChange).
// Changes are coalesced per folder until the session sends them.
import { isCoreError, type Actor, type Core } from '../../core/index.ts';
import { DELIMITER, SHARED_PREFIX, listFolders, normalise, type Folder } from './folders.ts';
import type { FetchItem } from './commands/fetch-items.ts';

export type NotifyEvent = 'MessageNew' | 'MessageExpunge' | 'FlagChange' | 'MailboxName' | 'SubscriptionChange';

export type MailboxFilter =
  | { kind: 'selected' | 'selected-delayed' | 'inboxes' | 'personal' | 'subscribed' }
  | { kind: 'subtree' | 'mailboxes'; names: string[] };

export interface NotifyGroup {
  filter: MailboxFilter;
  events: Set<NotifyEvent>;
  /** MessageNew's fetch attributes, for the selected mailbox only */
  fetch?: FetchItem[];
}

export interface NotifySpec {
  groups: NotifyGroup[];
  /** SET STATUS: tell the watched folders' state at once */
  wantsStatus: boolean;
}

export interface NotifierHooks {
  /** the untagged STATUS of a folder for the given items */
  statusLine(folder: Folder, items: string[]): string;
  /** a folder name as the wire shows it */
  wireName(name: string): string;
  /** the selected room's number, when one is selected (it gets EXISTS/EXPUNGE/FETCH, not STATUS) */
  selectedRoom(): number | undefined;
  /** CONDSTORE is on: STATUS carries HIGHESTMODSEQ */
  isCondstore(): boolean;
  /** something is owed: the session sends it when it may */
  onChange(): void;
  /** watching failed (core threw inside an event): the session logs it; the client is told to resynchronise */
  onError(err: unknown): void;
}

/** More than this many owed responses and the client is told to resynchronise (RFC 5465 §5.8). */
const MAX_OWED = 1000;

const isSelectedFilter = (f: MailboxFilter) => f.kind === 'selected' || f.kind === 'selected-delayed';

export class Notifier {
  private folders = new Map<number, Folder>();
  private subscribed = new Set<string>();
  /** rooms whose STATUS is owed */
  private readonly dirty = new Set<number>();
  private lists: string[] = [];
  private isOverflowed = false;
  /** told NOTIFICATIONOVERFLOW: watching nothing any more */
  private isStopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly core: Core, private readonly actor: Actor & { kind: 'user' }, readonly spec: NotifySpec, private readonly hooks: NotifierHooks) {
    this.refresh();
    const onMessage = (event: NotifyEvent) => (e: { roomnum: number; usernum?: number }) => {
      if (e.usernum !== undefined && e.usernum !== actor.usernum) return;
      const f = this.folders.get(e.roomnum);
      if (!f || e.roomnum === hooks.selectedRoom() || !this.groupFor(f.name, f.isShared, f.isSubscribed)?.events.has(event)) return;
      this.dirty.add(e.roomnum);
      this.changed();
    };
    const onPlaced = onMessage('MessageNew');
    const onRemoved = onMessage('MessageExpunge');
    const onFlags = onMessage('FlagChange');
    // these run inside another session's core call: a failure here must not become that call's
    const onRoom = (e: { roomnum: number; change: string }) => this.guard(() => this.onRoom(e.roomnum, e.change));
    const onSubscriptions = (e: { usernum: number }) => {
      if (e.usernum === actor.usernum) this.guard(() => this.onSubscriptions());
    };
    core.events.on('placed', onPlaced);
    core.events.on('removed', onRemoved);
    core.events.on('flags', onFlags);
    core.events.on('room', onRoom);
    core.events.on('subscriptions', onSubscriptions);
    this.unsubscribe = () => {
      core.events.off('placed', onPlaced);
      core.events.off('removed', onRemoved);
      core.events.off('flags', onFlags);
      core.events.off('room', onRoom);
      core.events.off('subscriptions', onSubscriptions);
    };
  }

  close(): void {
    this.unsubscribe();
  }

  /** The group for the selected mailbox (SELECTED or SELECTED-DELAYED), if any. */
  get selected(): (NotifyGroup & { isDelayed: boolean }) | undefined {
    if (this.isStopped) return undefined;
    const g = this.spec.groups.find((x) => isSelectedFilter(x.filter));
    return g && { ...g, isDelayed: g.filter.kind === 'selected-delayed' };
  }

  /** SET STATUS (RFC 5465 §3.1): the state of every watched folder but the selected one. */
  initialStatus(): string[] {
    const out: string[] = [];
    for (const f of this.folders.values()) {
      if (f.room.roomnum === this.hooks.selectedRoom()) continue;
      const g = this.groupFor(f.name, f.isShared, f.isSubscribed);
      if (!g || !(g.events.has('MessageNew') || g.events.has('FlagChange'))) continue;
      const items = ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY'];
      if (g.events.has('FlagChange') || this.hooks.isCondstore()) items.push('HIGHESTMODSEQ');
      out.push(this.hooks.statusLine(f, items));
    }
    return out;
  }

  /** The responses owed now, taken. */
  take(): string[] {
    if (this.isOverflowed) {
      // RFC 5465 §5.8: from here on as after NOTIFY NONE, until the client sets a watch again
      this.isOverflowed = false;
      this.isStopped = true;
      this.close();
      this.dirty.clear();
      this.lists = [];
      return ['* OK [NOTIFICATIONOVERFLOW] Too many changes; check the folders again\r\n'];
    }
    if (this.isStopped) return [];
    const out = this.lists;
    this.lists = [];
    for (const roomnum of this.dirty) {
      const f = this.folders.get(roomnum);
      if (!f || roomnum === this.hooks.selectedRoom()) continue;
      const g = this.groupFor(f.name, f.isShared, f.isSubscribed);
      const items = ['MESSAGES', 'UIDNEXT', 'UNSEEN'];
      if (g?.events.has('FlagChange') && this.hooks.isCondstore()) items.push('HIGHESTMODSEQ');
      try {
        out.push(this.hooks.statusLine(f, items));
      } catch (err) {
        // the folder went away or out of reach since the change: its MailboxName event tells that
        if (!(isCoreError(err) && err.kind === 'not-found')) throw err;
      }
    }
    this.dirty.clear();
    return out;
  }

  get hasOwed(): boolean {
    return this.isOverflowed || this.lists.length > 0 || this.dirty.size > 0;
  }

  /** The first non-selected group whose filter takes this name (RFC 5465 §6: first match wins). */
  private groupFor(name: string, isShared: boolean, isSubscribed: boolean): NotifyGroup | undefined {
    return this.spec.groups.find((g) => !isSelectedFilter(g.filter) && takes(g.filter, name, isShared, isSubscribed));
  }

  private refresh(): void {
    this.folders = new Map(listFolders(this.core, this.actor).map((f) => [f.room.roomnum, f]));
    this.subscribed = new Set([...this.folders.values()].filter((f) => f.isSubscribed).map((f) => f.name));
    for (const n of this.core.subscriptions.list(this.actor) ?? []) this.subscribed.add(n);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.hooks.onError(err);
      this.isOverflowed = true;
      this.hooks.onChange();
    }
  }

  private changed(): void {
    if (this.lists.length + this.dirty.size > MAX_OWED) this.isOverflowed = true;
    this.hooks.onChange();
  }

  private owe(line: string): void {
    this.lists.push(line);
    this.changed();
  }

  private wants(f: Folder, event: NotifyEvent): boolean {
    return this.groupFor(f.name, f.isShared, f.isSubscribed)?.events.has(event) ?? false;
  }

  private onRoom(roomnum: number, change: string): void {
    const before = this.folders.get(roomnum);
    this.refresh();
    const after = this.folders.get(roomnum);
    if (before && !after) {
      if (this.wants(before, 'MailboxName')) this.owe(`* LIST (\\NonExistent) "${DELIMITER}" ${this.hooks.wireName(before.name)}\r\n`);
      this.dirty.delete(roomnum);
      return;
    }
    if (!after || !(this.wants(after, 'MailboxName') || (before && this.wants(before, 'MailboxName')))) return;
    if (!before) this.owe(`* LIST () "${DELIMITER}" ${this.hooks.wireName(after.name)}\r\n`);
    else if (change === 'renamed' && before.name !== after.name) this.owe(`* LIST () "${DELIMITER}" ${this.hooks.wireName(after.name)} ("OLDNAME" (${this.hooks.wireName(before.name)}))\r\n`);
  }

  private onSubscriptions(): void {
    const was = this.subscribed;
    this.refresh();
    const names = new Set([...was, ...this.subscribed]);
    for (const name of names) {
      const isOn = this.subscribed.has(name);
      if (was.has(name) === isOn) continue;
      const isShared = name.startsWith(`${SHARED_PREFIX}${DELIMITER}`);
      // an unsubscribed name is still watched by the filter that took it while subscribed
      if (!this.groupFor(name, isShared, true)?.events.has('SubscriptionChange')) continue;
      this.owe(`* LIST (${isOn ? '\\Subscribed' : ''}) "${DELIMITER}" ${this.hooks.wireName(name)}\r\n`);
    }
  }
}

/** Whether a (non-selected) mailbox filter takes a folder name (RFC 5465 §6). */
function takes(f: MailboxFilter, name: string, isShared: boolean, isSubscribed: boolean): boolean {
  switch (f.kind) {
    case 'inboxes': return name === 'INBOX';
    case 'personal': return !isShared;
    case 'subscribed': return isSubscribed;
    case 'subtree': return f.names.some((n) => name === normalise(n) || name.startsWith(`${normalise(n)}${DELIMITER}`));
    case 'mailboxes': return f.names.some((n) => name === normalise(n));
    default: return false;
  }
}
