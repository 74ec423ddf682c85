// What SORT and THREAD order messages by (RFC 5256 §2): the base subject, whether the subject
// marks a reply or forward, and the sent date.
import { isCoreError, type Message } from '../../../core/index.ts';
import type { Selected } from './types.ts';

/**
 * A message of the selected mailbox's view, or the copy core keeps of one another session
 * expunged while a SORT or THREAD was taking turns (as FETCH answers it); undefined once it is
 * gone altogether.
 */
export function viewMessage(s: Selected, n: number): Message | undefined {
  try {
    return s.cache.get(n, () => s.core.messages.get(s.actor, n, s.box.room.roomnum)).msg;
  } catch (err) {
    if (!(isCoreError(err) && err.kind === 'not-found')) throw err;
    return s.core.messages.removedFrom(s.actor, n, s.box.room.roomnum)?.message;
  }
}

const TRAILER = /(\s*\(fwd\))+\s*$/i;
const LEADER = /^(\[[^[\]]*\]\s*)*(re|fwd?)\s*(\[[^[\]]*\]\s*)?:\s*/i;
const BLOB = /^\[[^[\]]*\]\s*/;
const WRAPPED = /^\[fwd:([\s\S]*)\]$/i;

/**
 * RFC 5256 §2.1 base subject: whitespace folded, "(fwd)" trailers, "Re:"/"Fw:"/"Fwd:" leaders
 * with their [blobs], a leading [blob] that is not all there is, and "[fwd: …]" wrappers removed;
 * upper-cased for comparison (i;unicode-casemap orders '[' and '_' after the letters); only
 * the first MAX_SUBJECT characters count. `isReply`: a trailer, leader or wrapper was removed (the subject marks a reply or forward).
 */
/**
 * How much of a subject the base subject is taken from. Stripping costs about (leaders and
 * blobs) x length, and the "(fwd)" trailer match is quadratic in the length: one message with a
 * megabyte of "[a]" or "(fwd)" in its Subject (anyone can mail one) would hold the worker for
 * minutes at every SORT or THREAD. No subject a person reads is longer.
 */
const MAX_SUBJECT = 256;

export function subjectOf(subject: string): { base: string; isReply: boolean } {
  let out = subject.slice(0, 4 * MAX_SUBJECT).replace(/\s+/g, ' ').trim().slice(0, MAX_SUBJECT);
  let isReply = false;
  for (let guard = 0; guard < 100; guard++) {
    const start = out;
    const trimmed = out.replace(TRAILER, '');
    if (trimmed !== out) isReply = true;
    out = trimmed;
    for (let inner = 0; inner < 100; inner++) {
      const before = out;
      const led = out.replace(LEADER, '');
      if (led !== out) isReply = true;
      out = led;
      const blob = BLOB.exec(out);
      if (blob && blob[0].length < out.length) out = out.slice(blob[0].length);
      if (out === before) break;
    }
    const wrapped = WRAPPED.exec(out);
    if (wrapped) {
      out = wrapped[1]!.trim();
      isReply = true;
    }
    if (out === start) break;
  }
  return { base: out.toUpperCase(), isReply };
}

export const baseSubject = (subject: string): string => subjectOf(subject).base;

/** The Date header's time; the arrival time when it has none or it does not parse (RFC 5256 §2.2). */
export function sentTime(m: Message): number {
  const d = Date.parse(m.envelope.date ?? '');
  return Number.isNaN(d) ? m.time : d;
}
