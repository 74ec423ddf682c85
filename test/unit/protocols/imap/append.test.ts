// The APPEND handler: once core has committed the messages, the answer is OK even when replacing
// the server's own Sent copy afterwards fails (that failure is logged, not reported as NO).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';
import { appendCommands } from '../../../../src/protocols/imap/commands/append.ts';
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
    const s = { core: { ...fx.core, delivery: failing }, actor, log: { error }, nameFromWire: (n: string) => n } as unknown as Authed;
    const msg = 'Subject: sent\r\nMessage-ID: <s1@keep.test>\r\n\r\nhello\r\n';
    const cmd = parseCommand({ lines: [`a APPEND Sent {${msg.length}}`, ''], literals: [Buffer.from(msg)] });
    const reply = await appendCommands.APPEND!.run(s as never, cmd);
    expect(reply).toMatchObject({ status: 'OK', code: expect.stringMatching(/^APPENDUID \d+ 1$/) });
    expect(error).toHaveBeenCalledOnce();
    const sent = fx.core.rooms.mailbox(actor.kind === 'user' ? actor.usernum : 0, 'sent');
    expect(fx.core.messages.placement(actor, sent.roomnum, (await fx.core.messages.list(actor, sent.roomnum, { kind: 'all' }))[0]!)?.uid).toBe(1);
  });
});
