// Core: typed domain operations over the store. Every operation takes the acting identity
// and checks access itself; translators call these and never the store.
import type { Store } from '../store/index.ts';
import type { Logger } from '../log/index.ts';
import type { CoreSettings, Ctx } from './context.ts';
import { Events } from './events.ts';
import { CoreError } from './errors.ts';
import { createAudit } from './audit/audit.ts';
import { createUsers } from './users/users.ts';
import { AuthThrottle } from './users/throttle.ts';
import { createVisits } from './visits/visits.ts';
import { createRooms } from './rooms/rooms.ts';
import { createFloors } from './rooms/floors.ts';
import { createDirectRooms } from './rooms/direct.ts';
import { createSubscriptions } from './rooms/subscriptions.ts';
import { createMessages } from './messages/messages.ts';
import { createMessageRanges } from './messages/range.ts';
import { createDelivery } from './delivery/delivery.ts';
import { createRecipients } from './delivery/recipients.ts';
import { createPresence } from './presence/presence.ts';
import { createPages } from './pages/pages.ts';
import { createChat } from './chat/chat.ts';
import { createCheck } from './check/check.ts';
import { createBackup } from './backup/backup.ts';
import { createHousekeeping } from './housekeeping/housekeeping.ts';
import { createJournal } from './journal/journal.ts';
import { createWebSessions } from './web-sessions/web-sessions.ts';
import { seedFirstStart, type SeedResult } from './seed.ts';
import { indexOldHeaders } from './messages/reindex.ts';
import { createRegistration } from './policy/registration.ts';
import { createSendPolicy } from './policy/send-policy.ts';
import { createQuota } from './policy/quota.ts';
import { passwordHashingStats, setPasswordHashThreads } from './users/password.ts';

export interface CoreOptions {
  store: Store;
  log: Logger;
  settings: CoreSettings;
  throttle?: { limit: number; windowMs: number };
}

/** An object without the named members: what core keeps for itself stays off its public face. */
function without<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  const out = { ...o };
  for (const k of keys) delete out[k];
  return out;
}

/**
 * Core and, beside it, the modules with their internal operations (raw records, *InTxn helpers,
 * unchecked delivery) for core's own tests and the composition root's tools; translators get only
 * `Core`, whose every operation checks access.
 */
export function createCoreWithInternals(opts: CoreOptions) {
  const events = new Events();
  // a write the store cannot make (full disk, failing disk) is a temporary failure every
  // protocol can name; it is logged here once with its cause
  opts.store.writeErrorMapper = (err) => {
    opts.log.error({ err }, 'store write failed');
    return new CoreError('unavailable', err.code === 'full' ? 'The store is full; try again later.' : 'The store cannot write now; try again later.', { cause: err });
  };
  const ctx: Ctx = { store: opts.store, events, settings: opts.settings, log: opts.log };
  setPasswordHashThreads(opts.settings.passwordHashThreads ?? 0);
  const audit = createAudit(ctx);
  const visits = createVisits(ctx);
  const rooms = createRooms(ctx, { audit, visits, ...(opts.throttle ? { throttle: opts.throttle } : {}) });
  const floors = createFloors(ctx, { audit });
  const throttle = new AuthThrottle(opts.throttle ?? { limit: 5, windowMs: 60_000 });
  const webSessions = createWebSessions(ctx);
  const users = createUsers(ctx, { audit, createMailboxesInTxn: rooms.createMailboxesInTxn, throttle, endWebSessionsInTxn: webSessions.endForUserInTxn });
  const registration = createRegistration(ctx, { audit, users });
  const sendPolicy = createSendPolicy(ctx, { audit, users });
  const recipients = createRecipients(ctx, { users });
  const quota = createQuota(ctx);
  const messages = createMessages(ctx, { audit, recipients, rooms, users, visits, sendPolicy, quota });
  const messageRanges = createMessageRanges(ctx, { rooms });
  const delivery = createDelivery(ctx, { audit, messages, recipients, rooms, users, sendPolicy, quota });
  const presence = createPresence(ctx);
  const pages = createPages(ctx, { presence, users, sendPolicy });
  const chat = createChat(ctx, { messages, rooms });
  const direct = createDirectRooms(ctx, { rooms, users, sendPolicy });
  const check = createCheck(ctx, { audit });
  const backup = createBackup(ctx, { audit });
  const housekeeping = createHousekeeping(ctx, { audit, messages });
  const journal = createJournal(ctx, { rooms });
  const subscriptions = createSubscriptions(ctx);
  /** First start: the main floor, Lobby, the Aide room and the admin account, in one transaction. */
  const seed = (admin: { name: string; password?: string }): Promise<SeedResult> => seedFirstStart(ctx, { floors, rooms, users }, admin);
  /** Bring records an older Keep wrote up to the current form (once; later calls do nothing). */
  const upgrade = async (): Promise<void> => { await indexOldHeaders(ctx); };
  // the store stays inside core: translators get access-checked operations, never ctx, a raw
  // record (a room's password), a write inside someone else's transaction or the audit trail's pen
  const core = {
    seed, upgrade, events, audit: without(audit, 'recordInTxn'), visits: without(visits, 'updateInTxn', 'changeFlagsInTxn', 'carryFlagsInTxn', 'forgetOwnFlagsInTxn'), rooms: without(rooms, 'record', 'insertInTxn', 'createMailboxesInTxn'), floors,
    users: without(users, 'insertInTxn'), registration, sendPolicy, quota, messages: without(messages, 'deliver'), messageRanges, delivery, presence, pages, chat,
    direct, check, backup, housekeeping, journal, subscriptions, webSessions: without(webSessions, 'endForUserInTxn'), settings: opts.settings,
    passwordHashing: passwordHashingStats,
  };
  return { core, internals: { audit, rooms, users, messages, webSessions } };
}

/** Core as translators see it: access-checked public operations only. */
export function createCore(opts: CoreOptions) {
  return createCoreWithInternals(opts).core;
}

export type Core = ReturnType<typeof createCore>;
export type CoreInternals = ReturnType<typeof createCoreWithInternals>['internals'];

export { CoreError, isCoreError, type ErrorKind } from './errors.ts';
export { type Actor, systemActor, isAide, LEVEL, actorLabel } from './actor.ts';
export type { CoreSettings, RegistrationMode } from './context.ts';
export type { User } from './users/users.ts';
export type { Room, RoomAccess, RoomKind } from './rooms/room.ts';
export { BASE_ROOM, AIDE_ROOM, MAILBOXES } from './rooms/room.ts';
export type { RoomListing, RoomFilter, NewRoom } from './rooms/rooms.ts';
export type { Floor } from './rooms/floors.ts';
export type { Message, ListWhich } from './messages/message.ts';
export { writtenAt } from './messages/message.ts';
export type { HeaderIndex } from './mime/header.ts';
export { fieldOf, fieldsOf, fieldSpans, headerEnd, idsIn } from './mime/header.ts';
export { encodeName, encodeText, formatAddress, rfc5322Date } from './mime/render.ts';
export { decodedBody } from './mime/transfer-encoding.ts';
export type { RoomSpan } from './messages/range.ts';
export type { Recipient, QueueEntry, Envelope } from './delivery/delivery.ts';
export type { Visit, FlagName, FlagChange } from './visits/visits.ts';
export { flagsOf, keywordRanges } from './visits/visits.ts';
export type { SessionInfo, PresenceHandle } from './presence/presence.ts';
export type { Page } from './pages/pages.ts';
export type { ChatLine } from './chat/chat.ts';
export type { WebSession } from './web-sessions/web-sessions.ts';
export type { CheckReport } from './check/check.ts';
export { findLooseModes, tightenModes, type LooseFile, type SharedRoot } from './check/file-modes.ts';
export type { AuditEntry } from './audit/audit.ts';
export type { SeedResult } from './seed.ts';
export { encryptStream, decryptStream, isEncrypted, DecryptError } from './backup/crypto.ts';
export { importLines, type ImportCounts } from './backup/import.ts';
export { ExportFormatError } from './backup/format.ts';
export { isSnapshotName, type BackupStatus } from './backup/schedule.ts';
export { ranges, type NumberSet } from './visits/number-set.ts';
export type { BodyPart, EnvelopeRecord, EnvelopeAddress, EnvelopeField, Address } from './messages/message.ts';
export type { AccessLevel } from './users/users.ts';
export type { QuotaUsage } from './policy/quota.ts';
export type { HashingStats } from './users/password.ts';
