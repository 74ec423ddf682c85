// The APPEND handler: once core has committed the messages, the answer is OK even when replacing
// the server's own Sent copy afterwards fails (that failure is logged, not reported as NO).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';
import { appendCommands, parseAppendMessages } from '../../../../src/protocols/imap/commands/append.ts';
import { parseCommand } from '../../../../src/protocols/imap/parser.ts';
import type { Authed } from '../../../../src/protocols/imap/commands/types.ts';

let fx: Fixture;
beforeEach(async () => { fx = await coreFixture(); });
afterEach(async () => { await fx.close(); });

describe('IMAP APPEND handler', () => {
  it('answers OK with APPENDUID when replacing the Sent copy throws after the commit', async () => {
    const { actor } = await fx.user('sender');
    const error = vi.fn();
    const failing = { ...fx.core.delivery, sentCopies: { replaceServerCopy: () => Promise.reject(new Error('disk on fire')) } };
    const s = { core: { ...fx.core, delivery: failing }, actor, log: { error }, config: { maxMessageSize: 1 << 20 }, nameFromWire: (n: string) => n } as unknown as Authed;
    const msg = 'Subject: sent\r\nMessage-ID: <s1@keep.test>\r\n\r\nhello\r\n';
    const cmd = parseCommand({ lines: [`a APPEND Sent {${msg.length}}`, ''], literals: [Buffer.from(msg)] });
    const reply = await appendCommands.APPEND!.run(s as never, cmd);
    expect(reply).toMatchObject({ status: 'OK', code: expect.stringMatching(/^APPENDUID \d+ 1$/) });
    expect(error).toHaveBeenCalledOnce();
    const sent = fx.core.rooms.mailbox(actor.kind === 'user' ? actor.usernum : 0, 'sent');
    expect(fx.core.messages.placement(actor, sent.roomnum, (await fx.core.messages.list(actor, sent.roomnum, { kind: 'all' }))[0]!)?.uid).toBe(1);
  });
});

describe('MULTIAPPEND into Sent', () => {
  it('keeps every message of one APPEND, even two with the same Message-ID', async () => {
    const { actor } = await fx.user('twice');
    const s = { core: fx.core, actor, log: { error: vi.fn() }, config: { maxMessageSize: 1 << 20 }, nameFromWire: (n: string) => n } as unknown as Authed;
    const a = 'Subject: one\r\nMessage-ID: <same@keep.test>\r\n\r\nfirst\r\n';
    const b = 'Subject: two\r\nMessage-ID: <same@keep.test>\r\n\r\nsecond\r\n';
    const cmd = parseCommand({ lines: [`a APPEND Sent {${a.length}}`, ` {${b.length}}`, ''], literals: [Buffer.from(a), Buffer.from(b)] });
    expect(await appendCommands.APPEND!.run(s as never, cmd)).toMatchObject({ status: 'OK', code: expect.stringMatching(/^APPENDUID \d+ 1:2$/) });
    const sent = fx.core.rooms.mailbox(actor.kind === 'user' ? actor.usernum : 0, 'sent');
    expect(await fx.core.messages.list(actor, sent.roomnum, { kind: 'all' })).toHaveLength(2);
  });
});

describe('APPEND arguments', () => {
  /** lines as the framer hands them: each but the last ends in a literal's marker */
  const args = (lines: string[], ...literals: string[]) => parseCommand({ lines, literals: literals.map((l) => Buffer.from(l)) }).args.slice(1);

  it('refuses a date-time it cannot read rather than storing it as a message of its own', () => {
    expect(() => parseAppendMessages(args(['a APPEND INBOX "1-Jan-2024 00:00:00" {5}', ''], 'hello'), { isUtf8: false })).toThrow(/literal/);
    expect(() => parseAppendMessages(args(['a APPEND INBOX (\\Seen) "not a message"']), { isUtf8: false })).toThrow(/literal/);
  });

  it('takes each message with its own flags and date', () => {
    const got = parseAppendMessages(args(['a APPEND INBOX (\\Seen) " 1-Jan-2024 00:00:00 +0000" {1}', ' {1}', ''], 'x', 'y'), { isUtf8: false });
    expect(got.map((m) => [m.flags, m.time, m.data.kind === 'literal' ? m.data.raw.toString() : ''])).toEqual([[['seen'], Date.UTC(2024, 0, 1), 'x'], [[], undefined, 'y']]);
  });
});

