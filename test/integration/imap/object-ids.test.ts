// STATUS=SIZE (RFC 8438), OBJECTID (RFC 8474), SAVEDATE (RFC 8514) and PREVIEW (RFC 8970).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
const sizes: number[] = [];
beforeAll(async () => {
  keep = await startWithUsers(['dora']);
  const c = await flow(keep, 'dora');
  const first = message('Lunch', 'Shall we meet at noon?\r\n\r\n> earlier quoted text\r\n-- \r\nDora\r\n');
  const reply = message('Re: Lunch', `${'Yes, noon is fine. '.repeat(20)}\r\n`, 'In-Reply-To: <lunch-root@keep.test>\r\nReferences: <lunch-root@keep.test>\r\n');
  const root = Buffer.from(first.toString().replace(/Message-ID: <[^>]+>/, 'Message-ID: <lunch-root@keep.test>'));
  for (const m of [root, reply]) {
    await c.append('INBOX', m);
    sizes.push(m.length);
  }
  await c.logout();
  r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN dora dora-pw');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP STATUS=SIZE', () => {
  it('reports the total octets of a folder', async () => {
    const caps = await r.cmd('a', 'CAPABILITY');
    for (const c of ['STATUS=SIZE', 'OBJECTID', 'SAVEDATE', 'PREVIEW']) expect(caps).toMatch(new RegExp(` ${c}[ \r]`));
    expect(await r.cmd('b', 'STATUS INBOX (MESSAGES SIZE)')).toContain(`* STATUS INBOX (MESSAGES 2 SIZE ${sizes[0]! + sizes[1]!})\r\n`);
  });
});

describe('IMAP OBJECTID', () => {
  it('gives a folder a MAILBOXID that CREATE, SELECT and STATUS agree on and RENAME keeps', async () => {
    const created = /\[MAILBOXID \(([\w-]+)\)\]/.exec(await r.cmd('c', 'CREATE Plans'))?.[1];
    expect(created).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
    expect(await r.cmd('d', 'STATUS Plans (MAILBOXID)')).toContain(`* STATUS Plans (MAILBOXID (${created}))`);
    await r.cmd('e', 'RENAME Plans Schemes');
    expect(await r.cmd('f', 'EXAMINE Schemes')).toContain(`* OK [MAILBOXID (${created})]`);
    const inbox = /MAILBOXID \(([\w-]+)\)/.exec(await r.cmd('g', 'STATUS INBOX (MAILBOXID)'))?.[1];
    expect(inbox).not.toBe(created);
    await r.cmd('h', 'DELETE Schemes');
    const again = /\[MAILBOXID \(([\w-]+)\)\]/.exec(await r.cmd('i', 'CREATE Schemes'))?.[1];
    expect(again).not.toBe(created);
  });

  it('keeps a message EMAILID across COPY and gives a reply its thread THREADID', async () => {
    await r.cmd('j', 'SELECT INBOX');
    const out = await r.cmd('k', 'FETCH 1:2 (EMAILID THREADID)');
    const ids = [...out.matchAll(/EMAILID \(([\w-]+)\) THREADID \(([\w-]+)\)/g)].map((m) => [m[1]!, m[2]!]);
    expect(ids).toHaveLength(2);
    expect(ids[0]![0]).not.toBe(ids[1]![0]);
    expect(ids[0]![1]).toBe(ids[1]![1]);
    await r.cmd('l', 'COPY 2 Schemes');
    await r.cmd('m', 'EXAMINE Schemes');
    expect(await r.cmd('n', 'FETCH 1 (EMAILID)')).toContain(`EMAILID (${ids[1]![0]})`);
    await r.cmd('o', 'SELECT INBOX');
    expect(await r.cmd('p', `SEARCH EMAILID ${ids[1]![0]}`)).toContain('* SEARCH 2\r\n');
    expect(await r.cmd('q', `SEARCH THREADID ${ids[0]![1]}`)).toContain('* SEARCH 1 2\r\n');
  });
});

describe('IMAP SAVEDATE', () => {
  it('fetches when a message was saved to the folder and searches by it', async () => {
    const out = await r.cmd('a', 'FETCH 1 (SAVEDATE)');
    const saved = /SAVEDATE "(\d{2})-(\w{3})-(\d{4}) /.exec(out);
    expect(saved).not.toBeNull();
    const day = `${Number(saved![1])}-${saved![2]}-${saved![3]}`;
    expect(await r.cmd('b', `SEARCH SAVEDON ${day}`)).toContain('* SEARCH 1 2\r\n');
    expect(await r.cmd('c', `SEARCH SAVEDBEFORE ${day}`)).toContain('* SEARCH\r\n');
    expect(await r.cmd('d', 'SEARCH SAVEDATESUPPORTED')).toContain('* SEARCH 1 2\r\n');
  });
});

describe('IMAP PREVIEW', () => {
  it('previews the text without quotes or signature, at most 256 characters', async () => {
    expect(await r.cmd('a', 'FETCH 1 (PREVIEW)')).toContain('* 1 FETCH (PREVIEW "Shall we meet at noon?")');
    const long = await r.cmd('b', 'FETCH 2 (PREVIEW (LAZY))');
    // a long preview comes as a literal
    const m = /PREVIEW \{(\d+)\}\r\n/.exec(long);
    expect(Number(m?.[1])).toBe(256);
    expect(long.slice(m!.index + m![0].length, m!.index + m![0].length + 256)).toBe('Yes, noon is fine. '.repeat(20).slice(0, 256));
    expect(await r.cmd('c', 'FETCH 1 (PREVIEW (EAGER))')).toMatch(/^c BAD/m);
    // fetching a preview does not mark the message seen
    expect(await r.cmd('d', 'FETCH 1 (FLAGS)')).not.toContain('\\Seen');
  });
});
