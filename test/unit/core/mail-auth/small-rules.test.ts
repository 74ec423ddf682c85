// Small pure rules of issue 20: list control addresses, when a delay notice is due, which
// domain signs, and how queue entries group into SMTP transactions.
import { describe, expect, it } from 'vitest';
import { parseListControl } from '../../../../src/core/delivery/list.ts';
import { isDelayNoticeDue } from '../../../../src/core/delivery/delay-notice.ts';
import { signingDomain } from '../../../../src/protocols/smtp/outbound/dkim.ts';
import { groupEntries } from '../../../../src/protocols/smtp/outbound/runner.ts';
import type { QueueEntry } from '../../../../src/core/index.ts';

describe('parseListControl', () => {
  it.each([
    ['kitchen-bounces+bob=remote.test', { action: 'bounce', list: 'kitchen', subscriber: 'bob@remote.test' }],
    ['my-list-bounces+a.b+c=x.example', { action: 'bounce', list: 'my-list', subscriber: 'a.b+c@x.example' }],
    ['Kitchen-Unsubscribe', { action: 'unsubscribe', list: 'kitchen' }],
    ['kitchen', undefined],
    ['kitchen-bounces', undefined],
  ])('%s', (local, want) => {
    expect(parseListControl(local)).toEqual(want);
  });
});

describe('isDelayNoticeDue', () => {
  const hour = 3600 * 1000;
  it.each([
    ['before the delay', { firstAttempt: 0 }, 3 * hour, 4 * 3600, false],
    ['at the delay', { firstAttempt: 0 }, 4 * hour, 4 * 3600, true],
    ['already notified', { firstAttempt: 0, delayNotified: true }, 5 * hour, 4 * 3600, false],
    ['notices off (0)', { firstAttempt: 0 }, 50 * hour, 0, false],
  ])('%s', (_name, e, now, after, want) => {
    expect(isDelayNoticeDue(e, now, after)).toBe(want);
  });
});

describe('signingDomain', () => {
  const o = { localDomains: ['keep.test', 'keep2.test'], primary: 'keep.test' };
  it.each([
    ['a local From', 'alice@keep2.test', 'alice@keep.test', 'keep2.test'],
    ['a foreign From (list mail): the envelope sender', 'poster@remote.test', 'kitchen-bounces+x=y.test@keep2.test', 'keep2.test'],
    ['the null sender of a bounce', 'MAILER-DAEMON@keep.test', '', 'keep.test'],
    ['nothing local: the primary', 'x@remote.test', 'y@remote.test', 'keep.test'],
  ])('%s', (_name, from, sender, want) => {
    expect(signingDomain(o, from, sender)).toBe(want);
  });
});

describe('groupEntries', () => {
  const e = (msgnum: number, recipient: string, sender = 'a@keep.test'): QueueEntry => ({ due: 0, msgnum, recipient, sender, attempts: 1, firstAttempt: 0, state: 'sending' });
  it('groups by message, envelope sender and recipient domain (case-insensitive)', () => {
    const groups = groupEntries([e(1, 'x@r.test'), e(1, 'y@R.test'), e(1, 'z@s.test'), e(2, 'x@r.test'), e(1, 'w@r.test', 'list-bounces+w=r.test@keep.test')]);
    expect(groups.map((g) => g.map((x) => `${x.msgnum}:${x.recipient}`))).toEqual([['1:x@r.test', '1:y@R.test'], ['1:z@s.test'], ['2:x@r.test'], ['1:w@r.test']]);
  });
});
