// The message type translators see, and conversion from the stored record.
import type { MessageRecord } from '../../store/index.ts';

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

export function toMessage(r: MessageRecord): Message {
  const { refcount: _r, deletedAt: _d, ...m } = r;
  return m;
}
