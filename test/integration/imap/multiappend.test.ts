// MULTIAPPEND (RFC 3502): several messages in one APPEND, each with its own flags and date, stored
// in one transaction: all of them or, when one is refused, none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['multi']); });
afterAll(async () => { await keep?.stop(); });

const lit = (s: string) => `{${Buffer.byteLength(s)}+}\r\n${s}`;

async function session(): Promise<Raw> {
  const r = await Raw.open(keep.ports.imap);
  await r.cmd('l', 'LOGIN multi multi-pw');
  return r;
}

describe('IMAP MULTIAPPEND', () => {
  it('advertises MULTIAPPEND', async () => {
    const r = await session();
    expect(await r.cmd('c', 'CAPABILITY')).toMatch(/ MULTIAPPEND[ \r]/);
    r.close();
  });

  it('stores every message with its own flags and date and names all their UIDs', async () => {
    const r = await session();
    await r.cmd('m', 'CREATE many');
    const one = 'Subject: one\r\n\r\nfirst\r\n';
    const two = 'Subject: two\r\n\r\nsecond\r\n';
    const three = 'Subject: three\r\n\r\nthird\r\n';
    const reply = await r.cmd('a', `APPEND many (\\Flagged) ${lit(one)} "05-Jan-2020 10:00:00 +0000" ${lit(two)} (\\Seen $Work) "06-Jan-2020 11:00:00 +0100" ${lit(three)}`);
    expect(reply).toMatch(/a OK \[APPENDUID \d+ 1:3\]/);
    await r.cmd('s', 'SELECT many');
    const f = await r.cmd('f', 'FETCH 1:3 (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    expect(f).toMatch(/\* 1 FETCH \(FLAGS \(\\Recent \\Flagged\)/);
    expect(f).toMatch(/\* 2 FETCH \(FLAGS \(\\Recent\) INTERNALDATE "05-Jan-2020 10:00:00 \+0000"/);
    expect(f).toMatch(/\* 3 FETCH \(FLAGS \(\\Recent \\Seen \$Work\) INTERNALDATE "06-Jan-2020 10:00:00 \+0000"/);
    expect(f).toContain('Subject: three');
    r.close();
  });

  it('stores none of the messages when one is refused', async () => {
    const r = await session();
    const before = /MESSAGES (\d+)/.exec(await r.cmd('s', 'STATUS Public/Lobby (MESSAGES)'))![1];
    const mine = 'Subject: mine\r\n\r\nfine\r\n';
    const forged = 'From: someone@elsewhere.example\r\nSubject: forged\r\n\r\nnot mine\r\n';
    expect(await r.cmd('a', `APPEND Public/Lobby ${lit(mine)} ${lit(forged)}`)).toMatch(/a NO \[NOPERM\]/);
    const after = /MESSAGES (\d+)/.exec(await r.cmd('t', 'STATUS Public/Lobby (MESSAGES)'))![1];
    expect(after).toBe(before);
    r.close();
  });

  it('refuses an empty message among several with BAD and stores nothing', async () => {
    const r = await session();
    await r.cmd('m', 'CREATE few');
    expect(await r.cmd('a', `APPEND few ${lit('Subject: x\r\n\r\ny\r\n')} {0+}\r\n`)).toMatch(/a BAD/);
    expect(await r.cmd('s', 'STATUS few (MESSAGES)')).toMatch(/MESSAGES 0/);
    r.close();
  });
});
