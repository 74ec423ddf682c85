// UTF8=ACCEPT (RFC 6855): ENABLE turns on UTF-8 mailbox names both ways (no modified UTF-7 is
// sent or read then) and APPEND's UTF8 (~{n}) data item for messages with UTF-8 headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['uni']); });
afterAll(async () => { await keep?.stop(); });

/** how UTF-8 text reads in the latin1 byte string the raw client hands back */
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
/** a command line sent as UTF-8 bytes */
const line = (tag: string, text: string) => Buffer.from(`${tag} ${text}\r\n`, 'utf8');

async function session(isUtf8: boolean): Promise<Raw> {
  const r = await Raw.open(keep.ports.imap);
  await r.cmd('l', 'LOGIN uni uni-pw');
  if (isUtf8) expect(await r.cmd('e', 'ENABLE UTF8=ACCEPT')).toContain('* ENABLED UTF8=ACCEPT\r\n');
  return r;
}

describe('IMAP UTF8=ACCEPT', () => {
  it('advertises UTF8=ACCEPT', async () => {
    const r = await Raw.open(keep.ports.imap);
    expect(r.greeting).toMatch(/ UTF8=ACCEPT[ \]]/);
    r.close();
  });

  it('names mailboxes in modified UTF-7 until enabled and in quoted UTF-8 after', async () => {
    const plain = await session(false);
    expect(await plain.cmd('c', 'CREATE Caf&AOk-')).toMatch(/c OK/);
    expect(await plain.cmd('l', 'LIST "" Caf*')).toContain('* LIST (\\HasNoChildren) "/" Caf&AOk-\r\n');
    plain.close();
    const r = await session(true);
    expect(await r.cmd('l', 'LIST "" Caf*')).toContain(`* LIST (\\HasNoChildren) "/" "${utf8('Café')}"\r\n`);
    expect(await r.cmd('c', line('c', 'CREATE "Überblick"'))).toMatch(/c OK/);
    expect(await r.cmd('d', 'CREATE "A&B"')).toMatch(/d OK/);
    expect(await r.cmd('s', line('s', 'STATUS "Café" (MESSAGES)'))).toContain(`* STATUS "${utf8('Café')}" (MESSAGES 0)`);
    expect(await r.cmd('t', line('t', 'SELECT "Café"'))).toMatch(/t OK/);
    const list = await r.cmd('m', 'LIST "" *');
    expect(list).toContain(`"/" "${utf8('Überblick')}"\r\n`);
    expect(list).toContain('"/" A&B\r\n');
    r.close();
    const again = await session(false);
    const old = await again.cmd('m', 'LIST "" *');
    expect(old).toContain('"/" &ANw-berblick\r\n');
    expect(old).toContain('"/" A&-B\r\n');
    again.close();
  });

  it('stores a message sent in the UTF8 data item as sent, and refuses it before ENABLE', async () => {
    const msg = Buffer.from('From: uni@keep.test\r\nSubject: Grüße aus Köln\r\n\r\nHallo\r\n', 'utf8');
    const plain = await session(false);
    const refused = await plain.cmd('a', Buffer.concat([Buffer.from(`a APPEND INBOX UTF8 (~{${msg.length}+}\r\n`), msg, Buffer.from(')\r\n')]));
    expect(refused).toMatch(/a BAD/);
    plain.close();
    const r = await session(true);
    const reply = await r.cmd('b', Buffer.concat([Buffer.from(`b APPEND INBOX (\\Seen) UTF8 (~{${msg.length}+}\r\n`), msg, Buffer.from(')\r\n')]));
    expect(reply).toMatch(/b OK \[APPENDUID \d+ 1\]/);
    await r.cmd('s', 'SELECT INBOX');
    expect(Buffer.from(await r.cmd('f', 'FETCH 1 (FLAGS BODY.PEEK[])'), 'latin1').includes(msg)).toBe(true);
    r.close();
  });
});
