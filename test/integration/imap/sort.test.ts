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

describe('IMAP SORT with CONDSTORE', () => {
  it('ends * SORT with the highest MODSEQ found when the keys used MODSEQ, as SEARCH does (RFC 7162 §3.1.5)', async () => {
    const d = await Raw.open(keep.ports.imap);
    try {
      await d.cmd('a', 'LOGIN alice alice-pw');
      await d.cmd('b', 'SELECT INBOX');
      const mods = [...(await d.cmd('c', 'FETCH 1:* (MODSEQ)')).matchAll(/MODSEQ \((\d+)\)/g)].map((m) => Number(m[1]));
      expect(mods).toHaveLength(3);
      expect(await d.cmd('d', 'SORT (SUBJECT) UTF-8 MODSEQ 1')).toContain(`* SORT 2 1 3 (MODSEQ ${Math.max(...mods)})\r\nd OK`);
      const uids = /\* SEARCH ([\d ]+)/.exec(await d.cmd('u', 'UID SEARCH ALL'))![1]!.split(' ');
      expect(await d.cmd('e', `UID SORT (REVERSE SUBJECT) UTF-8 MODSEQ ${mods[2]}`)).toContain(`* SORT ${uids[2]} (MODSEQ ${mods[2]})\r\ne OK`);
      // nothing found: no MODSEQ to tell
      expect(await d.cmd('f', `SORT (SUBJECT) UTF-8 MODSEQ ${Math.max(...mods) + 1000}`)).toContain('* SORT\r\nf OK');
      // without a MODSEQ key, plain * SORT
      expect(await d.cmd('g', 'SORT (SUBJECT) UTF-8 ALL')).toContain('* SORT 2 1 3\r\ng OK');
    } finally {
      d.close();
    }
  });
});

describe('IMAP ESORT', () => {
  it('answers SORT RETURN with * ESEARCH in sort order', async () => {
    expect(await r.cmd('e1', 'SORT RETURN (MIN MAX COUNT) (SUBJECT) UTF-8 ALL')).toContain('* ESEARCH (TAG "e1") MIN 2 MAX 3 COUNT 3\r\n');
    expect(await r.cmd('e2', 'SORT RETURN () (REVERSE ARRIVAL) UTF-8 ALL')).toContain('* ESEARCH (TAG "e2") ALL 3,2,1\r\n');
    expect(await r.cmd('e3', 'SORT RETURN (ALL) (ARRIVAL) UTF-8 ALL')).toContain('* ESEARCH (TAG "e3") ALL 1:3\r\n');
    expect(await r.cmd('e4', 'SORT RETURN (COUNT) (DATE) UTF-8 KEYWORD none')).toContain('* ESEARCH (TAG "e4") COUNT 0\r\n');
    const uids = /\* SEARCH ([\d ]+)/.exec(await r.cmd('u', 'UID SEARCH ALL'))![1]!.split(' ');
    expect(await r.cmd('e5', 'UID SORT RETURN (ALL) (SUBJECT) UTF-8 ALL')).toContain(`* ESEARCH (TAG "e5") UID ALL ${uids[1]},${uids[0]},${uids[2]}\r\n`);
  });
});

describe('IMAP SORT=DISPLAY', () => {
  it('sorts by the display name of the first From or To address, else by its address', async () => {
    const d = await Raw.open(keep.ports.imap);
    try {
      await d.cmd('a', 'LOGIN alice alice-pw');
      await d.cmd('b', 'CREATE Display');
      const rows = [
        ['Zoe Quinn <a@x.test>', 'team: b@x.test, c@x.test;'],
        ['bob@x.test', '=?utf-8?q?Anna_M=C3=BCller?= <z@x.test>'],
        ['=?iso-8859-1?q?Carl_Ek?= <c@x.test>', 'Yann <y@x.test>'],
      ];
      let i = 0;
      for (const [from, to] of rows) {
        const m = `From: ${from}\r\nTo: ${to}\r\nSubject: s\r\n\r\nx\r\n`;
        await d.cmd(`p${i}`, Buffer.from(`p${i++} APPEND Display {${m.length}+}\r\n${m}\r\n`));
      }
      await d.cmd('c', 'SELECT Display');
      expect(await d.cmd('s1', 'SORT (DISPLAYFROM) UTF-8 ALL')).toContain('* SORT 2 3 1\r\n');
      expect(await d.cmd('s2', 'SORT (REVERSE DISPLAYFROM) UTF-8 ALL')).toContain('* SORT 1 3 2\r\n');
      expect(await d.cmd('s3', 'SORT (DISPLAYTO) UTF-8 ALL')).toContain('* SORT 2 1 3\r\n');
      expect(await d.cmd('k', 'CAPABILITY')).toMatch(/ SORT=DISPLAY /);
    } finally {
      d.close();
    }
  });
});
