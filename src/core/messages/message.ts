// The message type translators see, and conversion from the stored record.
import type { MessageRecord } from '../../store/index.ts';

export type Message = Omit<MessageRecord, 'refcount' | 'deletedAt'>;

export type ListWhich =
  | { kind: 'all' } | { kind: 'new' } | { kind: 'old' }
  | { kind: 'last'; n: number } | { kind: 'first'; n: number }
  | { kind: 'gt'; n: number } | { kind: 'lt'; n: number };

export function toMessage(r: MessageRecord): Message {
  const { refcount: _r, deletedAt: _d, ...m } = r;
  return m;
}
