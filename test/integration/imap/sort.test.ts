// SORT and UID SORT (RFC 5256): criteria, REVERSE, base subjects, search keys, charset.
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
    ['zed@x.test', 'Re: banana', 'Tue, 03 Mar 2026 10:00:00 +0000', 'x'.repeat(10)],
    ['amy@x.test', 'apple', 'Thu, 05 Mar 2026 10:00:00 +0000', 'x'.repeat(300)],
    ['kim@x.test', '[list] Fwd: cherry', 'Mon, 02 Mar 2026 10:00:00 +0000', 'x'.repeat(100)],
  ];
  let i = 0;
  for (const [from, subject, date, body] of msgs) {
    const m = `From: ${from}\r\nSubject: ${subject}\r\nDate: ${date}\r\n\r\n${body}\r\n`;
    await r.cmd(`p${i++}`, Buffer.from(`p${i - 1} APPEND INBOX {${m.length}+}\r\n${m}\r\n`));
  }
  await r.cmd('b', 'SELECT INBOX');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP SORT', () => {
  it.each([
    ['(SUBJECT) UTF-8 ALL', '* SORT 2 1 3'],
    ['(REVERSE SUBJECT) UTF-8 ALL', '* SORT 3 1 2'],
    ['(DATE) UTF-8 ALL', '* SORT 3 1 2'],
    ['(FROM) US-ASCII ALL', '* SORT 2 3 1'],
    ['(REVERSE SIZE) UTF-8 ALL', '* SORT 2 3 1'],
    ['(ARRIVAL) UTF-8 NOT FROM amy', '* SORT 1 3'],
  ])('SORT %s', async (args, want) => {
    expect(await r.cmd('s', `SORT ${args}`)).toContain(`${want}\r\ns OK`);
  });

  it('answers UID SORT with UIDs and refuses bad criteria and charsets', async () => {
    const uids = /\* SEARCH ([\d ]+)/.exec(await r.cmd('u', 'UID SEARCH ALL'))![1]!.split(' ');
    expect(await r.cmd('v', 'UID SORT (SUBJECT) UTF-8 ALL')).toContain(`* SORT ${uids[1]} ${uids[0]} ${uids[2]}\r\n`);
    expect(await r.cmd('w', 'SORT (COLOR) UTF-8 ALL')).toMatch(/^w BAD Unknown sort criterion/m);
    expect(await r.cmd('x', 'SORT (DATE) KOI8-R ALL')).toMatch(/^x NO \[BADCHARSET/m);
  });
});
