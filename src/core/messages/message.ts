// The message type translators see, and conversion from the stored record.
import type { MessageRecord } from '../../store/index.ts';
import { fieldOf } from '../mime/header.ts';

export type Message = Omit<MessageRecord, 'refcount' | 'deletedAt'>;
/** the IMAP-style envelope of a message or an attached message, computed at ingest */
export type EnvelopeRecord = Message['envelope'];
export type Address = EnvelopeRecord['from'][number];
/** the envelope fields, and an address as ENVELOPE lists it where groups or source routes were kept */
export type EnvelopeField = keyof NonNullable<EnvelopeRecord['exact']>;
export type EnvelopeAddress = NonNullable<NonNullable<EnvelopeRecord['exact']>[EnvelopeField]>[number];
/** the MIME body structure with byte offsets, computed at ingest */
export type BodyPart = Message['bodyStructure'];

export type ListWhich =
  | { kind: 'all' } | { kind: 'new' } | { kind: 'old' }
  | { kind: 'last'; n: number } | { kind: 'first'; n: number }
  | { kind: 'gt'; n: number } | { kind: 'lt'; n: number };

/**
 * When the message says it was written: its Date field (every post and mail has one in the header
 * index), or when it arrived where the field is missing or unreadable. Every protocol shows this
 * one date (native time=, NNTP Date, IMAP ENVELOPE), as Citadel takes its timestamp from Date:;
 * the arrival time stays IMAP's INTERNALDATE.
 */
export function writtenAt(m: Pick<Message, 'headers' | 'time'>): number {
  const date = Date.parse(fieldOf(m.headers, 'date') ?? '');
  return Number.isNaN(date) ? m.time : date;
}

export function toMessage(r: MessageRecord): Message {
  const { refcount: _r, deletedAt: _d, ...m } = r;
  return m;
}
