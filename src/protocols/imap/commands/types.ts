// What a command handler sees: the session's narrow API, by the state the command needs.
import type { Actor, Core } from '../../../core/index.ts';
import type { Config } from '../../../config/index.ts';
import type { Logger } from '../../../log/index.ts';
import type { Command } from '../parser.ts';
import type { Reply } from '../errors.ts';
import type { SelectedMailbox } from '../mailbox.ts';
import type { MessageCache } from '../message-cache.ts';
import type { RecentIndex } from '../recent.ts';

export type UserActor = Actor & { kind: 'user' };

export type Needs = 'any' | 'not-authenticated' | 'authenticated' | 'selected';

export interface SessionApi {
  readonly core: Core;
  readonly config: Config;
  readonly log: Logger;
  /** remote address, for throttling and the audit log */
  readonly origin: string;
  readonly isTls: boolean;
  /** false on a cleartext connection from another host: LOGINDISABLED */
  readonly mayAuthenticate: boolean;
  /** message records and rendered parts, shared by all sessions */
  readonly cache: MessageCache;
  /** which messages are \Recent, shared by all sessions */
  readonly recent: RecentIndex;
  /** the selected mailbox, when there is one */
  readonly box?: SelectedMailbox | undefined;
  /** queue an untagged response or a part of one (wire byte string or bytes, CRLF included) */
  send(data: string | Buffer): void;
  /** between parts of a large answer: give other sessions a turn, wait while the client is behind */
  drain(): Promise<void>;
  /** this session's time slice is used up: drain() at the next clean break */
  readonly isTurnOver: boolean;
  capabilities(): string;
  readonly isCondstore: boolean;
  /** turn CONDSTORE on for the rest of the session (RFC 7162 §3.1) */
  enableCondstore(): void;
  readonly isQresync: boolean;
  /** turn QRESYNC (and CONDSTORE) on; only ENABLE does (RFC 7162 §3.2.3) */
  enableQresync(): void;
  readonly isUtf8: boolean;
  /** turn UTF8=ACCEPT on for the rest of the session (RFC 6855 §3) */
  enableUtf8(): void;
  /** IMAP4rev2 is enabled: no \Recent, SEARCH answers ESEARCH, SELECT tells LIST (RFC 9051) */
  readonly isRev2: boolean;
  /** turn IMAP4rev2 on for the rest of the session (ENABLE IMAP4rev2) */
  enableRev2(): void;
  /** a mailbox name as the wire shows it: modified UTF-7 (RFC 3501 §5.1.3), UTF-8 under UTF8=ACCEPT or IMAP4rev2 */
  wireName(name: string): string;
  /** a mailbox name the client sent, as Unicode: modified UTF-7 decoded, UTF-8 taken as is under UTF8=ACCEPT or IMAP4rev2 */
  nameFromWire(name: string): string;
  login(actor: UserActor): void;
  /** NOTIFY SET (a spec) or NONE (undefined): the watch now in force (RFC 5465) */
  notify(spec: import('../notify.ts').NotifySpec | undefined): import('../notify.ts').Notifier | undefined;
  /** enter the selected state (undefined: back to authenticated) */
  select(box: SelectedMailbox | undefined): void;
  /** build the view of a room for this session (subscribed to core events) */
  openMailbox(room: import('../../../core/index.ts').Room, name: string, isReadOnly: boolean): SelectedMailbox;
  /** begin TLS after the tagged OK is written */
  startTls(): void;
  readonly isCompressed: boolean;
  /** begin DEFLATE after the tagged OK is written (RFC 4978) */
  startCompression(): void;
  /** await client lines: IDLE until DONE, SASL until the response */
  awaitContinuation(c: Continuation): void;
  logout(): void;
  /** failed logins in this session (closes after the configured limit) */
  noteAuthFailure(): void;
}

export type Continuation =
  | { kind: 'idle'; tag: string }
  | { kind: 'sasl'; tag: string; finish(line: string): Promise<Reply> };

export type Authed = SessionApi & { readonly actor: UserActor };
export type Selected = Authed & { readonly box: SelectedMailbox };

type CtxFor<N extends Needs> = N extends 'selected' ? Selected : N extends 'authenticated' ? Authed : SessionApi;

/** 'pending': the handler has started a continuation; the session replies later. */
export type Outcome = Reply | 'pending';

export interface CommandSpec<N extends Needs = Needs> {
  needs: N;
  run(s: CtxFor<N>, cmd: Command): Promise<Outcome>;
}

export type AnyCommand = CommandSpec<'any'> | CommandSpec<'not-authenticated'> | CommandSpec<'authenticated'> | CommandSpec<'selected'>;
export type CommandTable = Record<string, AnyCommand>;

export const command = <N extends Needs>(c: CommandSpec<N>): CommandSpec<N> => c;
