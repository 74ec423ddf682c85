// THREAD and UID THREAD (RFC 5256 §3): REFERENCES and ORDEREDSUBJECT on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN alice alice-pw');
  const msgs = [
    // 1: starts a conversation; 2 answers it; 3 answers 2; 4 answers a message that is not here
    ['<root@x>', '', 'Plans', 'Mon, 02 Mar 2026 10:00:00 +0000'],
    ['<r1@x>', 'References: <root@x>\r\n', 'Re: Plans', 'Mon, 02 Mar 2026 11:00:00 +0000'],
    ['<r2@x>', 'References: <root@x> <r1@x>\r\n', 'Re: Plans', 'Mon, 02 Mar 2026 12:00:00 +0000'],
    ['<r3@x>', 'In-Reply-To: <gone@x>\r\n', 'Re: Lunch', 'Sun, 01 Mar 2026 09:00:00 +0000'],
    // 5: no links, but its subject is the one 4 answers; 6: another answer to 1, earliest of 1's
    ['<lunch@x>', '', 'Lunch', 'Sun, 01 Mar 2026 08:00:00 +0000'],
    ['<r4@x>', 'In-Reply-To: <root@x>\r\n', 'Re: Plans', 'Mon, 02 Mar 2026 10:30:00 +0000'],
  ];
  let i = 0;
  for (const [id, links, subject, date] of msgs) {
    const m = `From: a@x.test\r\nMessage-ID: ${id}\r\n${links}Subject: ${subject}\r\nDate: ${date}\r\n\r\nx\r\n`;
    await r.cmd(`p${i}`, Buffer.from(`p${i++} APPEND INBOX {${m.length}+}\r\n${m}\r\n`));
  }
  await r.cmd('b', 'SELECT INBOX');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP THREAD', () => {
  it('advertises both algorithms', async () => {
    expect(await r.cmd('k', 'CAPABILITY')).toMatch(/ THREAD=REFERENCES THREAD=ORDEREDSUBJECT/);
  });

  it('threads by references, then puts a reply with its subject under the original', async () => {
    // 4's parent is missing, so 4 is a top thread until subjects join it under 5
    expect(await r.cmd('t', 'THREAD REFERENCES UTF-8 ALL')).toContain('* THREAD (5 4)(1 (6)(2 3))\r\n');
  });

  it('threads by base subject and date with ORDEREDSUBJECT', async () => {
    expect(await r.cmd('o', 'THREAD ORDEREDSUBJECT US-ASCII ALL')).toContain('* THREAD (5 4)(1 (6)(2)(3))\r\n');
  });

  it('threads only the messages the search keys match, by UID for UID THREAD', async () => {
    expect(await r.cmd('s', 'THREAD REFERENCES UTF-8 NOT 2')).toContain('* THREAD (5 4)(1 (6)(3))\r\n');
    const uids = /\* SEARCH ([\d ]+)/.exec(await r.cmd('u', 'UID SEARCH ALL'))![1]!.split(' ');
    expect(await r.cmd('v', 'UID THREAD REFERENCES UTF-8 1:3')).toContain(`* THREAD (${uids[0]} ${uids[1]} ${uids[2]})\r\n`);
    expect(await r.cmd('w', 'THREAD REFERENCES UTF-8 KEYWORD none')).toContain('* THREAD\r\n');
  });

  it('refuses an unknown algorithm and charset', async () => {
    expect(await r.cmd('x', 'THREAD BYCOLOR UTF-8 ALL')).toMatch(/^x BAD/m);
    expect(await r.cmd('y', 'THREAD REFERENCES KOI8-R ALL')).toMatch(/^y NO \[BADCHARSET/m);
  });
});
