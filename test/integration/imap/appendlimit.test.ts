// APPENDLIMIT (RFC 7889): the message size limit (KEEP_MAX_MESSAGE_SIZE) is advertised in
// CAPABILITY and STATUS, a message of exactly that size is taken and a larger one refused with
// NO [TOOBIG] before its literal is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

const LIMIT = 4096;
let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['lim'], { KEEP_MAX_MESSAGE_SIZE: String(LIMIT) }); });
afterAll(async () => { await keep?.stop(); });

const sized = (n: number) => {
  const head = 'Subject: sized\r\n\r\n';
  return head + 'x'.repeat(n - head.length);
};

describe('IMAP APPENDLIMIT', () => {
  it('advertises the limit in CAPABILITY and in STATUS', async () => {
    const r = await Raw.open(keep.ports.imap);
    expect(r.greeting).toContain(` APPENDLIMIT=${LIMIT}`);
    await r.cmd('l', 'LOGIN lim lim-pw');
    expect(await r.cmd('s', 'STATUS INBOX (APPENDLIMIT MESSAGES)')).toContain(`* STATUS INBOX (APPENDLIMIT ${LIMIT} MESSAGES 0)`);
    r.close();
  });

  it('takes a message of exactly the limit and refuses one byte more with NO [TOOBIG]', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('l', 'LOGIN lim lim-pw');
    expect(await r.cmd('a', `APPEND INBOX {${LIMIT}+}\r\n${sized(LIMIT)}`)).toMatch(/a OK/);
    r.raw.write(`b APPEND INBOX {${LIMIT + 1}}\r\n`);
    expect(await r.until((b) => /b (OK|NO|BAD)/.test(b) || b.startsWith('+'))).toMatch(/^b NO \[TOOBIG\]/);
    r.buf = '';
    expect(await r.cmd('s', 'STATUS INBOX (MESSAGES)')).toContain('MESSAGES 1');
    r.close();
  });
});
