// Reply values that handlers return and the session writes (protocol/README.md §Replies).
// One reply per command; the session adds the `*` flag and does the writing.
import { CLASS, type ErrSub } from './codes.ts';
import { NativeError } from './errors.ts';

interface Base {
  /** may carry the `*` "instant messages waiting" flag (NOOP, GOTO, RWHO, GETR, RCHT rwho) */
  mayStar?: boolean;
  /** what the session does after writing the reply */
  after?: 'close' | 'starttls';
}

export type Reply =
  | (Base & { kind: 'line'; code: number; text: string })
  | (Base & { kind: 'listing'; code: number; text: string; lines: string[] })
  /** 4xx SEND_LISTING: the client sends lines up to `000`; nothing is written after them */
  | (Base & { kind: 'receive'; code: number; text: string; onText: (lines: string[]) => Promise<void>; isPosting?: boolean })
  /** a long listing produced as it is written (MIGR export, MSGS of a big room), with backpressure */
  | (Base & { kind: 'stream'; code: number; text: string; lines: Iterable<string> })
  /** QNOP: no reply at all */
  | { kind: 'none'; after?: undefined; mayStar?: undefined };

export const ok = (text = 'Ok', extra: Base = {}): Reply => ({ kind: 'line', code: CLASS.CIT_OK, text, ...extra });
export const more = (text: string): Reply => ({ kind: 'line', code: CLASS.MORE_DATA, text });
export const listing = (text: string, lines: string[], extra: Base = {}): Reply => ({ kind: 'listing', code: CLASS.LISTING_FOLLOWS, text, lines, ...extra });
export const receive = (text: string, onText: (lines: string[]) => Promise<void>, opts: { isPosting?: boolean } = {}): Reply =>
  ({ kind: 'receive', code: CLASS.SEND_LISTING, text, onText, ...opts });
export const stream = (text: string, lines: Iterable<string>): Reply => ({ kind: 'stream', code: CLASS.LISTING_FOLLOWS, text, lines });
export const noReply: Reply = { kind: 'none' };

/** Refuse with a native error subcode (the session turns it into 5xx). */
export function fail(sub: ErrSub, text: string): never {
  throw new NativeError(sub, text);
}

/** The reply's first line on the wire. */
export function statusLine(code: number, text: string, isStarred: boolean): string {
  return `${code}${isStarred ? '*' : ' '}${text}`;
}
