// CATENATE (RFC 4469): APPEND from text literals and IMAP URLs of messages the user can read;
// BADURL for a URL naming nothing the user can read (another user's mailbox, a stale
// UIDVALIDITY), TOOBIG when the result is over the size limit, and nothing stored then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

const LIMIT = 8192;
let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['cat', 'dog'], { KEEP_MAX_MESSAGE_SIZE: String(LIMIT) }); });
afterAll(async () => { await keep?.stop(); });

const lit = (s: string) => `{${Buffer.byteLength(s)}+}\r\n${s}`;

async function session(user: string): Promise<Raw> {
  const r = await Raw.open(keep.ports.imap);
  await r.cmd('l', `LOGIN ${user} ${user}-pw`);
  return r;
}

describe('IMAP CATENATE', () => {
  let validity = '';

  beforeAll(async () => {
    const r = await session('cat');
    const base = 'From: cat@keep.test\r\nSubject: base\r\n\r\noriginal body\r\n';
    validity = /APPENDUID (\d+) 1/.exec(await r.cmd('a', `APPEND INBOX ${lit(base)}`))![1]!;
    r.close();
  });

  it('advertises CATENATE', async () => {
    const r = await session('cat');
    expect(await r.cmd('c', 'CAPABILITY')).toMatch(/ CATENATE[ \r]/);
    r.close();
  });

  it('builds a message from a URL section and a text literal, in order', async () => {
    const r = await session('cat');
    const reply = await r.cmd('a', `APPEND Drafts (\\Draft) CATENATE (URL "/INBOX;UIDVALIDITY=${validity}/;UID=1/;SECTION=HEADER" TEXT ${lit('new body\r\n')})`);
    expect(reply).toMatch(/a OK \[APPENDUID \d+ 1\]/);
    await r.cmd('s', 'SELECT Drafts');
    expect(await r.cmd('f', 'FETCH 1 (FLAGS BODY.PEEK[])')).toContain('BODY[] {48}\r\nFrom: cat@keep.test\r\nSubject: base\r\n\r\nnew body\r\n)');
    expect(await r.cmd('g', 'FETCH 1 FLAGS')).toMatch(/\\Draft/);
    r.close();
  });

  it('takes a whole message by URL and a partial of it', async () => {
    const r = await session('cat');
    await r.cmd('m', 'CREATE Copies');
    expect(await r.cmd('a', 'APPEND Copies CATENATE (URL "/INBOX/;UID=1" TEXT {0+}\r\n)')).toMatch(/a OK/);
    expect(await r.cmd('b', `APPEND Copies CATENATE (TEXT ${lit('Subject: part\r\n\r\n')} URL "/INBOX/;UID=1/;SECTION=TEXT/;PARTIAL=0.8")`)).toMatch(/b OK/);
    await r.cmd('s', 'SELECT Copies');
    const f = await r.cmd('f', 'FETCH 1:2 BODY.PEEK[]');
    expect(f).toContain('From: cat@keep.test\r\nSubject: base\r\n\r\noriginal body\r\n');
    expect(f).toContain('Subject: part\r\n\r\noriginal)');
    r.close();
  });

  it('answers NO [BADURL] for a stale UIDVALIDITY, a missing UID and another user\'s mailbox, storing nothing', async () => {
    const r = await session('dog');
    const other = await session('cat');
    expect(await other.cmd('o', `APPEND INBOX CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=1" TEXT ${lit('x\r\n')})`)).toMatch(/o NO \[BADURL \/INBOX;UIDVALIDITY=1\/;UID=1\]/);
    expect(await other.cmd('p', 'APPEND INBOX CATENATE (URL "/INBOX/;UID=99")')).toMatch(/p NO \[BADURL/);
    // dog's INBOX has no UID 1: cat's message is not reachable through dog's names
    expect(await r.cmd('q', 'APPEND INBOX CATENATE (URL "/INBOX/;UID=1")')).toMatch(/q NO \[BADURL/);
    // an absolute URL of another server, or of another user here, names nothing for this session
    expect(await other.cmd('v', 'APPEND INBOX CATENATE (URL "imap://elsewhere.example/INBOX/;UID=1")')).toMatch(/v NO \[BADURL/);
    expect(await other.cmd('w', 'APPEND INBOX CATENATE (URL "imap://dog@127.0.0.1/INBOX/;UID=1")')).toMatch(/w NO \[BADURL/);
    await other.cmd('k', 'CREATE Fetched');
    expect(await other.cmd('x', 'APPEND Fetched CATENATE (URL "imap://cat@127.0.0.1/INBOX/;UID=1")')).toMatch(/x OK/);
    expect(await r.cmd('s', 'STATUS INBOX (MESSAGES)')).toContain('MESSAGES 0');
    expect(await other.cmd('t', 'STATUS INBOX (MESSAGES)')).toContain('MESSAGES 1');
    r.close();
    other.close();
  });

  it('answers NO [TOOBIG] when the parts add up to more than the size limit', async () => {
    const r = await session('cat');
    const half = `Subject: big\r\n\r\n${'z'.repeat(LIMIT / 2)}`;
    expect(await r.cmd('a', `APPEND INBOX CATENATE (TEXT ${lit(half)} TEXT ${lit(half)})`)).toMatch(/a NO \[TOOBIG\]/);
    r.close();
  });
});
