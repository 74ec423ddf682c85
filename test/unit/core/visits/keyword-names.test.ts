// Keywords are names clients choose (RFC 3501 flag-keyword): "constructor", "toString" or
// "hasOwnProperty" are keywords like any other, on APPEND and on STORE alike (they failed as a bug).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf } from '../../../../src/core/index.ts';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
beforeAll(async () => { f = await coreFixture(); });
afterAll(async () => { await f?.close(); });

describe('keywords named like what every object inherits', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])('keeps %s set by APPEND and by STORE', async (keyword) => {
    const { actor } = await f.user(`kw${keyword.replace(/_/g, '')}`);
    const usernum = actor.kind === 'user' ? actor.usernum : 0;
    const inbox = f.core.rooms.mailbox(usernum, 'inbox').roomnum;
    const [a, b] = await f.core.messages.append(actor, { roomnum: inbox, messages: [
      { raw: Buffer.from('Subject: a\r\n\r\nx\r\n'), flags: [{ keyword }] },
      { raw: Buffer.from('Subject: b\r\n\r\ny\r\n') },
    ] });
    await f.core.visits.setFlag(actor, inbox, [b!.msgnum], { keyword }, true);
    const visit = f.core.visits.get(usernum, inbox);
    expect(flagsOf(visit, a!.msgnum).keywords).toEqual([keyword]);
    expect(flagsOf(visit, b!.msgnum).keywords).toEqual([keyword]);
    await f.core.visits.setFlag(actor, inbox, [a!.msgnum, b!.msgnum], { keyword }, false);
    expect(flagsOf(f.core.visits.get(usernum, inbox), a!.msgnum).keywords).toEqual([]);
  });
});
