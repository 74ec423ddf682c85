// NNTP limits and bad input: overlong lines, malformed and huge ranges, the bad-command limit
// (400 and close), the idle timeout, and an overlong article line during POST (nothing stored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { article, connect, postText, startNntpKeep, withCore } from './fixture.ts';

const KITCHEN = 'keep.main-floor.kitchen';
let keep: Keep;
beforeAll(async () => {
  keep = await startNntpKeep({ KEEP_NNTP_MAX_RANGE: '5', KEEP_NNTP_MAX_BAD_COMMANDS: '5', KEEP_MAX_LINE_LENGTH: '300', KEEP_MAX_MESSAGE_SIZE: '4000' });
  await postText(keep, 'Kitchen', Array.from({ length: 8 }, (_, i) => ({ subject: `post ${i}`, text: `body ${i}` })));
});
afterAll(async () => { await keep?.stop(); });

describe('NNTP ranges', () => {
  it.each(['abc', '1-2-3', '-5', '1--', '12345678901234567', '1-12345678901234567', '1,2', ''])('answers the malformed range %j with 501', async (range) => {
    const c = await connect(keep, 'alice');
    await c.cmd(`GROUP ${KITCHEN}`);
    expect((await c.cmd(`OVER ${range}`.trim() === 'OVER' ? 'OVER x' : `OVER ${range}`)).code).toBe(501);
    expect((await c.cmd(`HDR Subject ${range || 'y'}`)).code).toBe(501);
    c.close();
  });

  it('answers a range of more articles than nntpMaxRange with 501, and a range within it with 224', async () => {
    const c = await connect(keep, 'alice');
    const [, low] = (await c.cmd(`GROUP ${KITCHEN}`)).text.split(' ').map(Number) as [number, number];
    const whole = await c.cmd('OVER 1-9999999999999999');
    expect(whole.code).toBe(501);
    expect(whole.text).toMatch(/range too large/i);
    expect((await c.cmd(`LISTGROUP ${KITCHEN}`)).code).toBe(501);
    expect((await c.cmd('HDR Subject 1-')).code).toBe(501);
    const some = await c.cmd(`OVER ${low}-${low + 4}`);
    expect(some.code).toBe(224);
    expect(some.lines).toHaveLength(5);
    c.close();
  });
});

describe('NNTP line limits', () => {
  it('answers an overlong command line with 501 and keeps reading the next command', async () => {
    const c = await connect(keep, 'alice');
    c.write(`GROUP ${'x'.repeat(5000)}\r\nDATE\r\n`);
    expect((await c.reply()).code).toBe(501);
    expect((await c.reply()).code).toBe(111);
    c.close();
  });

  it('refuses an article with an overlong line with 441 and stores nothing', async () => {
    const c = await connect(keep, 'alice');
    const before = await withCore(keep, async (core) => core.messages.count());
    const r = await c.post(article({ groups: KITCHEN, subject: 'long', body: ['ok', 'y'.repeat(2000), 'ok'] }));
    expect(r.code).toBe(441);
    expect(await withCore(keep, async (core) => core.messages.count())).toBe(before);
    expect((await c.cmd('DATE')).code).toBe(111);
    c.close();
  });
  it('refuses an article over the message size limit with 441 and stores nothing', async () => {
    const c = await connect(keep, 'alice');
    const before = await withCore(keep, async (core) => core.messages.count());
    const r = await c.post(article({ groups: KITCHEN, subject: 'big', body: Array.from({ length: 60 }, () => 'z'.repeat(100)) }));
    expect(r.code).toBe(441);
    expect(r.text).toMatch(/too big/i);
    expect(await withCore(keep, async (core) => core.messages.count())).toBe(before);
    c.close();
  });
});

describe('NNTP bad-command limit', () => {
  it('says 400 and closes after nntpMaxBadCommands bad commands', async () => {
    const c = await connect(keep);
    for (let i = 0; i < 4; i++) expect((await c.cmd(`BOGUS${i}`)).code).toBe(500);
    expect((await c.cmd('BOGUS5')).code).toBe(500);
    expect((await c.reply()).code).toBe(400);
    await c.waitClosed();
  });

  it('counts failed logins as bad commands', async () => {
    const c = await connect(keep);
    for (let i = 0; i < 5; i++) {
      if ((await c.cmd('AUTHINFO PASS nobody')).code !== 482) throw new Error('expected 482');
    }
    expect((await c.reply()).code).toBe(400);
    await c.waitClosed();
  });
});

describe('NNTP idle timeout', () => {
  // its own server: a 2-second idle limit would cut the other tests short on a busy machine
  let quick: Keep;
  beforeAll(async () => { quick = await startKeep({ env: { KEEP_IDLE_TIMEOUT: '2' } }); });
  afterAll(async () => { await quick?.stop(); });

  it('says 400 and closes a silent session after the idle timeout', async () => {
    const c = await connect(quick);
    const r = await c.reply(false, 15_000);
    expect(r.code).toBe(400);
    expect(r.text).toMatch(/idle/i);
    await c.waitClosed();
  });
});
