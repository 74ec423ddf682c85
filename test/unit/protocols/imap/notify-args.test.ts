import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../src/protocols/imap/parser.ts';
import { parseNotify } from '../../../../src/protocols/imap/commands/notify.ts';

const args = (text: string) => parseCommand({ lines: [`a NOTIFY ${text}`], literals: [] }).args;

describe('NOTIFY arguments (RFC 5465 §8)', () => {
  it('reads NONE as no watch', () => {
    expect(parseNotify(args('NONE'))).toBeUndefined();
  });

  it('reads SET STATUS with several groups, filters and events', () => {
    const spec = parseNotify(args('SET STATUS (SELECTED (MessageNew (UID FLAGS) MessageExpunge)) (SUBTREE (Work Play) (MailboxName)) (MAILBOXES B&APw-cher NONE)'))!;
    expect(spec.wantsStatus).toBe(true);
    expect(spec.groups.map((g) => g.filter)).toEqual([{ kind: 'selected' }, { kind: 'subtree', names: ['Work', 'Play'] }, { kind: 'mailboxes', names: ['Bücher'] }]);
    expect([...spec.groups[0]!.events]).toEqual(['MessageNew', 'MessageExpunge']);
    expect(spec.groups[0]!.fetch?.map((f) => f.k)).toEqual(['UID', 'FLAGS']);
    expect(spec.groups[2]!.events.size).toBe(0);
  });

  it.each([
    ['SET (PERSONAL (MessageNew))', 'BAD'],
    ['SET (PERSONAL (MessageExpunge FlagChange))', 'BAD'],
    ['SET (PERSONAL (MessageNew (UID) MessageExpunge))', 'BAD'],
    ['SET (SELECTED (MessageNew MessageExpunge)) (SELECTED-DELAYED (MessageNew MessageExpunge))', 'BAD'],
    ['SET (ELSEWHERE (MailboxName))', 'BAD'],
    ['SET (MAILBOXES (MailboxName))', 'BAD'],
    ['SET', 'BAD'],
    ['GET (PERSONAL (MailboxName))', 'BAD'],
    ['SET (PERSONAL (AnnotationChange))', 'NO'],
  ])('refuses NOTIFY %s with %s', (text, status) => {
    expect(() => parseNotify(args(text))).toThrow(expect.objectContaining({ status }));
  });

  it('names the supported events in BADEVENT', () => {
    expect(() => parseNotify(args('SET (INBOXES (MailboxMetadataChange))'))).toThrow(expect.objectContaining({ code: 'BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange)' }));
  });
});
