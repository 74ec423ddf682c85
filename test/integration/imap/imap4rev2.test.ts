// IMAP4rev2 (RFC 9051) beside IMAP4rev1: both advertised, rev2 negotiated with ENABLE. Under
// rev2 there is no \Recent (nor RECENT, nor the UNSEEN code), SELECT names the mailbox in a LIST
// response and says CLOSED for the one it leaves, SEARCH answers ESEARCH, names are UTF-8.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let v2: Raw;
let v1: Raw;
beforeAll(async () => {
  keep = await startWithUsers(['fay']);
  const c = await flow(keep, 'fay');
  await c.append('INBOX', message('one'), ['\\Seen']);
  await c.append('INBOX', message('two'));
  await c.logout();
  v2 = await Raw.open(keep.ports.imap);
  v1 = await Raw.open(keep.ports.imap);
  await v2.cmd('a', 'LOGIN fay fay-pw');
  await v1.cmd('a', 'LOGIN fay fay-pw');
});
afterAll(async () => {
  v2?.close();
  v1?.close();
  await keep?.stop();
});

describe('IMAP4rev2', () => {
  it('advertises IMAP4rev1 and IMAP4rev2 and is enabled with ENABLE IMAP4rev2', async () => {
    expect(v2.greeting).toMatch(/CAPABILITY IMAP4rev1 IMAP4rev2 /);
    expect(await v2.cmd('b', 'ENABLE IMAP4rev2')).toMatch(/^\* ENABLED IMAP4rev2\r\nb OK/);
  });

  it('selects without RECENT or UNSEEN, names the mailbox in LIST, and shows no \\Recent', async () => {
    const sel = await v2.cmd('c', 'SELECT INBOX');
    expect(sel).toContain('* 2 EXISTS\r\n');
    expect(sel).toContain('* LIST () "/" INBOX\r\n');
    expect(sel).not.toMatch(/RECENT|\[UNSEEN/);
    expect(await v2.cmd('d', 'FETCH 1:2 (FLAGS)')).toMatch(/\* 1 FETCH \(FLAGS \(\\Seen\)\)\r\n\* 2 FETCH \(FLAGS \(\)\)\r\n/);
    // the rev2 session was told of them first, so they are not \Recent for a rev1 session either
    expect(await v1.cmd('e', 'SELECT INBOX')).toContain('* 0 RECENT\r\n');
    await v1.cmd('f', 'UNSELECT');
  });

  it('answers SEARCH and UID SEARCH with ESEARCH', async () => {
    expect(await v2.cmd('g', 'SEARCH ALL')).toMatch(/^\* ESEARCH \(TAG "g"\) ALL 1:2\r\ng OK/);
    expect(await v2.cmd('h', 'UID SEARCH UNSEEN')).toMatch(/^\* ESEARCH \(TAG "h"\) UID ALL 2\r\nh OK/);
    expect(await v2.cmd('i', 'SEARCH SUBJECT nothing-like-this')).toMatch(/^\* ESEARCH \(TAG "i"\)\r\ni OK/);
    expect(await v2.cmd('i2', 'SEARCH RETURN (COUNT MIN) ALL')).toMatch(/^\* ESEARCH \(TAG "i2"\) (COUNT 2 MIN 1|MIN 1 COUNT 2)\r\ni2 OK/);
    // BINARY is part of rev2 (RFC 9051 §6.4.5)
    expect(await v2.cmd('i3', 'FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])')).toMatch(/\* 1 FETCH \(BINARY\.SIZE\[1\] \d+ BINARY\[1\] /);
    // a rev1 session keeps * SEARCH
    await v1.cmd('j', 'EXAMINE INBOX');
    expect(await v1.cmd('k', 'SEARCH ALL')).toMatch(/^\* SEARCH 1 2\r\nk OK/);
  });

  it('tells new messages with EXISTS alone', async () => {
    const c = await flow(keep, 'fay');
    await c.append('INBOX', message('three'));
    await c.logout();
    const out = await v2.cmd('l', 'NOOP');
    expect(out).toContain('* 3 EXISTS\r\n');
    expect(out).not.toContain('RECENT');
  });

  it('shows folder names in UTF-8, where rev1 has modified UTF-7', async () => {
    await v2.cmd('m', Buffer.from('m CREATE "Bücher"\r\n', 'utf8'));
    const bytes = Buffer.from('Bücher', 'utf8').toString('latin1');
    expect(await v2.cmd('n', 'LIST "" B*')).toContain(`* LIST (\\HasNoChildren) "/" "${bytes}"\r\n`);
    expect(await v1.cmd('o', 'LIST "" B*')).toContain('* LIST (\\HasNoChildren) "/" B&APw-cher\r\n');
    // a rev2 name is taken as written: '&' is not the start of modified UTF-7
    await v2.cmd('o2', 'CREATE "Tom &Jerry-Show"');
    expect(await v2.cmd('o3', 'LIST "" Tom*')).toContain('* LIST (\\HasNoChildren) "/" "Tom &Jerry-Show"\r\n');
    expect(await v1.cmd('o4', 'LIST "" Tom*')).toContain('* LIST (\\HasNoChildren) "/" "Tom &-Jerry-Show"\r\n');
  });

  it('says CLOSED when SELECT leaves the selected mailbox', async () => {
    expect(await v2.cmd('p', 'SELECT Sent')).toMatch(/^\* OK \[CLOSED\]/);
  });
});
