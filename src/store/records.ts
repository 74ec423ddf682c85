// Typed records of the named databases (see DESIGN.md, "The unified data model").
// These types stay inside store/ and core/; translators see core's types.

export type AccessLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface UserRecord {
  usernum: number;
  name: string;
  /** scrypt$N$r$p$salt$hash, all base64 where binary */
  passwordHash: string;
  level: AccessLevel;
  addresses: string[];
  flags: number;
  timesCalled: number;
  posted: number;
  lastCall: number;
  created: number;
  bio?: string;
  /** usernum of an aide who validated the account; 0 = not yet */
  validated: boolean;
}

export type RoomKind = 'public' | 'hidden' | 'private-invite' | 'private-password' | 'mailbox' | 'direct';

export interface RoomRecord {
  roomnum: number;
  name: string;
  kind: RoomKind;
  floor: number;
  order: number;
  /** mailbox and direct rooms: the owning usernums */
  owners: number[];
  aide: number;
  /** private-password rooms: the scrypt hash of the password (schema 4) */
  passwordHash?: string;
  /** before schema 4: the password in clear (migrated to passwordHash; older exports carry it) */
  password?: string;
  generation: number;
  highest: number;
  /** messages placed in the room, kept with every placement (the room's total without a scan) */
  count: number;
  created: number;
  mtime: number;
  info?: string;
  infoTime?: number;
  listAddress?: string;
  /** Internet subscribers of the room's list address, with the bounces each has caused */
  listSubscribers?: { address: string; bounces: number }[];
  /** permanent rooms cannot be deleted (Lobby, Aide, Mail) */
  isPermanent: boolean;
  isReadOnly: boolean;
  /** soft delete: time of deletion; purged after the window */
  deletedAt?: number;
  /** mailbox role for SPECIAL-USE: inbox, sent, drafts, trash, junk */
  role?: string;
  defaultView: number;
}

export interface FloorRecord {
  floornum: number;
  name: string;
  order: number;
}

export type MessageFormat = 'text' | 'rfc822';

export interface Address {
  name?: string;
  address: string;
}

/**
 * An address as IMAP's ENVELOPE lists it: a mailbox (with a source route, if any), the start of a
 * group (its name as mailbox, no host) or the end of one (nothing).
 */
export interface EnvelopeAddress {
  name?: string;
  route?: string;
  mailbox?: string;
  host?: string;
}

export type EnvelopeField = 'from' | 'sender' | 'replyTo' | 'to' | 'cc' | 'bcc';

export interface EnvelopeRecord {
  /** the fields whose header uses groups or source routes, as ENVELOPE must show them */
  exact?: Partial<Record<EnvelopeField, EnvelopeAddress[]>>;
  date?: string;
  subject?: string;
  from: Address[];
  sender: Address[];
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  inReplyTo?: string;
  messageId?: string;
}

/** MIME body structure computed at ingest, enough for IMAP BODYSTRUCTURE. */
export interface BodyPart {
  type: string;
  subtype: string;
  params: Record<string, string>;
  id?: string;
  description?: string;
  encoding: string;
  /** byte offsets of this part's header and body within the raw message */
  headerStart: number;
  bodyStart: number;
  end: number;
  lines: number;
  disposition?: { type: string; params: Record<string, string> };
  language?: string;
  /** multipart children, or the encapsulated message's parts for message/rfc822 */
  parts?: BodyPart[];
  envelope?: EnvelopeRecord;
}

export interface MessageRecord {
  msgnum: number;
  format: MessageFormat;
  time: number;
  authorName: string;
  authorUser?: number;
  authorAddress?: string;
  subject: string;
  messageId: string;
  inReplyTo?: string;
  references: string[];
  recipients: string[];
  /** room the message was first posted in (display only) */
  originRoom: string;
  size: number;
  lines: number;
  /** how many placements refer to this message */
  refcount: number;
  /** for text posts: 0 variformat, 1 plain */
  textFormat?: number;
  envelope: EnvelopeRecord;
  bodyStructure: BodyPart;
  /** header index: lower-case name → raw header values, in order */
  headers: [string, string][];
  /** byte offset where the body starts in the rendered form */
  bodyOffset: number;
  deletedAt?: number;
  /** rooms whose placement of this message was deleted, newest last: where an aide's restore puts it back */
  removedFrom?: number[];
  /** chat line, not a post: shown in chat history and as a message elsewhere */
  isChat?: boolean;
}

export interface PlacementRecord {
  arrived: number;
  modseq: number;
  /**
   * the placement's number in its room (the IMAP UID), from the room's own counter; placements
   * written before rooms had one have none and count their message number
   */
  uid?: number;
  deletedAt?: number;
}

/** Ranges of message numbers, sorted and disjoint: [[from, to], ...] inclusive. */
export type Ranges = [number, number][];

export interface VisitRecord {
  lastSeen: number;
  seen: Ranges;
  answered: Ranges;
  flagged: Ranges;
  deleted: Ranges;
  draft: Ranges;
  keywords: Record<string, Ranges>;
  isZapped: boolean;
  isInvited: boolean;
  /** highest msgnum when the user last had "new mail" reported (GOTO new-mail field) */
  mailMark: number;
  /** last time the room info was seen */
  infoSeen: number;
  modseq: number;
}

/** A web login session, keyed by the SHA-256 of its cookie token. */
export interface WebSessionRecord {
  usernum: number;
  origin: string;
  created: number;
  expires: number;
}

export interface QueueRecord {
  msgnum: number;
  recipient: string;
  sender: string;
  attempts: number;
  firstAttempt: number;
  lastAttempt?: number;
  lastError?: string;
  state: 'pending' | 'sending' | 'failed' | 'delivered';
  /** was the last attempt's session encrypted (STARTTLS or implicit TLS) */
  lastTls?: boolean;
  /** a delay notice (RFC 3464 Action: delayed) went to the sender */
  delayNotified?: boolean;
  /** list mail: the room whose list this copy goes out for (List-* headers are added on sending) */
  listRoom?: number;
}

export interface AuditRecord {
  time: number;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  origin: string;
}

export interface JournalRecord {
  roomnum: number;
  msgnum: number;
  kind: 'placed' | 'removed' | 'flags' | 'room';
  usernum?: number;
  /** a removed placement's number in its room (QRESYNC reports it as vanished) */
  uid?: number;
}

export interface MetaCounters {
  nextMessage: number;
  nextUser: number;
  nextRoom: number;
  nextFloor: number;
  modseq: number;
  auditSeq: number;
}
