// SEARCH RETURN (ESEARCH, RFC 4731), the saved result $ (SEARCHRES, RFC 5182) and OLDER/YOUNGER
// (WITHIN, RFC 5032), on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
let uids: string[];

async function append(n: number, date?: string): Promise<void> {
  const m = `From: a@x.test\r\nSubject: msg ${n}\r\n\r\nbody ${n}\r\n`;
  await r.cmd(`p${n}`, Buffer.from(`p${n} APPEND INBOX${date ? ` "${date}"` : ''} {${m.length}+}\r\n${m}\r\n`));
}

beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN alice alice-pw');
  // two old messages (2020), four new ones
  await append(1, '01-Jan-2020 10:00:00 +0000');
  await append(2, '02-Jan-2020 10:00:00 +0000');
  for (let n = 3; n <= 6; n++) await append(n);
  await r.cmd('b', 'SELECT INBOX');
  await r.cmd('c', 'STORE 2,4,5 +FLAGS (\\Seen)');
  uids = /\* SEARCH ([\d ]+)/.exec(await r.cmd('u', 'UID SEARCH ALL'))![1]!.split(' ');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP ESEARCH', () => {
  it('advertises ESEARCH, SEARCHRES and WITHIN', async () => {
    const caps = await r.cmd('k', 'CAPABILITY');
    for (const c of ['ESEARCH', 'SEARCHRES', 'WITHIN']) expect(caps).toMatch(new RegExp(` ${c}[ \\r]`));
  });

  it.each([
    ['RETURN (MIN MAX COUNT) SEEN', '* ESEARCH (TAG "e") MIN 2 MAX 5 COUNT 3'],
    ['RETURN () SEEN', '* ESEARCH (TAG "e") ALL 2,4:5'],
    ['RETURN (ALL) UNSEEN', '* ESEARCH (TAG "e") ALL 1,3,6'],
    ['RETURN (COUNT MIN) KEYWORD nothing', '* ESEARCH (TAG "e") COUNT 0'],
    ['RETURN (MIN) 100', '* ESEARCH (TAG "e")'],
    ['RETURN (PARTIAL 2:3) ALL', '* ESEARCH (TAG "e") PARTIAL (2:3 2:3)'],
    ['RETURN (PARTIAL 5:1) SEEN', '* ESEARCH (TAG "e") PARTIAL (1:5 2,4:5)'],
    ['RETURN (PARTIAL 7:9) ALL', '* ESEARCH (TAG "e") PARTIAL (7:9 NIL)'],
  ])('SEARCH %s', async (args, want) => {
    expect(await r.cmd('e', `SEARCH ${args}`)).toBe(`${want}\r\ne OK SEARCH completed\r\n`);
  });

  it('answers UID SEARCH RETURN with UIDs and the UID marker', async () => {
    expect(await r.cmd('f', 'UID SEARCH RETURN (MIN MAX ALL) SEEN')).toContain(`* ESEARCH (TAG "f") UID MIN ${uids[1]} MAX ${uids[4]} ALL ${uids[1]},${uids[3]}:${uids[4]}\r\n`);
  });

  it('refuses unknown options, ALL with PARTIAL and broken ranges', async () => {
    expect(await r.cmd('g1', 'SEARCH RETURN (BOGUS) ALL')).toMatch(/^g1 BAD/m);
    expect(await r.cmd('g2', 'SEARCH RETURN (ALL PARTIAL 1:2) ALL')).toMatch(/^g2 BAD/m);
    expect(await r.cmd('g3', 'SEARCH RETURN (PARTIAL 1:*) ALL')).toMatch(/^g3 BAD/m);
    expect(await r.cmd('g4', 'SEARCH RETURN (PARTIAL 0:3) ALL')).toMatch(/^g4 BAD/m);
  });
});

describe('IMAP ESEARCH with imapflow', () => {
  it('gives imapflow its RETURN results', async () => {
    const c = await flow(keep, 'alice');
    try {
      await c.mailboxOpen('INBOX', { readOnly: true });
      expect(await c.search({ seen: true }, { returnOptions: ['MIN', 'MAX', 'COUNT', 'ALL'] })).toMatchObject({ min: 2, max: 5, count: 3, all: '2,4:5' });
      expect(await c.search({ all: true }, { returnOptions: [{ partial: '2:3' }] })).toMatchObject({ partial: { range: '2:3', messages: '2:3' } });
    } finally {
      await c.logout();
    }
  });
});

describe('IMAP ESEARCH with CONDSTORE', () => {
  it('enables CONDSTORE with HIGHESTMODSEQ and returns the MODSEQ of the messages it reports', async () => {
    const c = await Raw.open(keep.ports.imap);
    try {
      await c.cmd('a', 'LOGIN alice alice-pw');
      await c.cmd('b', 'SELECT INBOX');
      const first = await c.cmd('m1', 'SEARCH RETURN (MIN) MODSEQ 1');
      expect(first).toMatch(/^\* OK \[HIGHESTMODSEQ \d+\]/);
      const mods = [...(await c.cmd('f', 'FETCH 1:6 (MODSEQ)')).matchAll(/\* (\d) FETCH \(MODSEQ \((\d+)\)\)/g)].map((m) => Number(m[2]));
      expect(first).toContain(`* ESEARCH (TAG "m1") MIN 1 MODSEQ ${mods[0]}\r\n`);
      expect(await c.cmd('m2', 'SEARCH RETURN (COUNT) MODSEQ 1')).toContain(`* ESEARCH (TAG "m2") COUNT 6 MODSEQ ${Math.max(...mods)}\r\n`);
      expect(await c.cmd('m3', 'SEARCH RETURN (COUNT) MODSEQ 1')).not.toContain('HIGHESTMODSEQ');
    } finally {
      c.close();
    }
  });
});

describe('IMAP SEARCHRES', () => {
  it('saves a result silently and uses $ in FETCH, SEARCH and UID commands', async () => {
    expect(await r.cmd('s1', 'SEARCH RETURN (SAVE) SEEN')).toBe('s1 OK SEARCH completed\r\n');
    const fetched = await r.cmd('s2', 'FETCH $ (UID)');
    expect(fetched.match(/^\* \d+ FETCH/gm)).toEqual(['* 2 FETCH', '* 4 FETCH', '* 5 FETCH']);
    expect(await r.cmd('s3', 'SEARCH $ NOT 4')).toContain('* SEARCH 2 5\r\n');
    expect(await r.cmd('s4', 'UID SEARCH UID $')).toContain(`* SEARCH ${uids[1]} ${uids[3]} ${uids[4]}\r\n`);
    expect(await r.cmd('s5', 'UID STORE $ +FLAGS (\\Flagged)')).toMatch(/^s5 OK/m);
    expect(await r.cmd('s6', 'SEARCH FLAGGED')).toContain('* SEARCH 2 4 5\r\n');
    await r.cmd('s7', 'STORE 1:* -FLAGS (\\Flagged)');
  });

  it('saves only MIN and MAX when they are asked without ALL or COUNT', async () => {
    expect(await r.cmd('m1', 'SEARCH RETURN (SAVE MIN MAX) SEEN')).toContain('* ESEARCH (TAG "m1") MIN 2 MAX 5\r\n');
    expect(await r.cmd('m2', 'SEARCH $')).toContain('* SEARCH 2 5\r\n');
  });

  it('leaves $ alone after a SAVE answered BAD, empties it after one answered NO and on a new selection', async () => {
    // RFC 5182 §2.1: a SEARCH answered BAD must not change $; a SAVE answered NO sets it empty
    await r.cmd('f1', 'SEARCH RETURN (SAVE) 1:2');
    expect(await r.cmd('f2', 'SEARCH RETURN (SAVE) NOSUCHKEY')).toMatch(/^f2 BAD/m);
    expect(await r.cmd('f3', 'SEARCH $')).toContain('* SEARCH 1 2\r\n');
    expect(await r.cmd('f3b', 'SEARCH RETURN (SAVE BOGUS) ALL')).toMatch(/^f3b BAD/m);
    expect(await r.cmd('f3c', 'SEARCH $')).toContain('* SEARCH 1 2\r\n');
    // a tag that already names an updating search is refused BAD: $ stays too
    expect(await r.cmd('f3d', 'SEARCH RETURN (UPDATE) ALL')).toMatch(/^f3d OK/m);
    expect(await r.cmd('f3d', 'SEARCH RETURN (UPDATE SAVE) 3')).toMatch(/^f3d BAD/m);
    expect(await r.cmd('f3e', 'SEARCH $')).toContain('* SEARCH 1 2\r\n');
    expect(await r.cmd('f3f', 'CANCELUPDATE "f3d"')).toMatch(/^f3f OK/m);
    expect(await r.cmd('f3g', 'SEARCH RETURN (SAVE) CHARSET X-NOSUCH ALL')).toMatch(/^f3g NO \[BADCHARSET/m);
    expect(await r.cmd('f3h', 'SEARCH $')).toContain('* SEARCH\r\n');
    await r.cmd('f3i', 'SEARCH RETURN (SAVE) 1:2');
    expect(await r.cmd('f3j', 'SORT RETURN (SAVE) (ARRIVAL) X-NOSUCH ALL')).toMatch(/^f3j NO \[BADCHARSET/m);
    expect(await r.cmd('f3k', 'SEARCH $')).toContain('* SEARCH\r\n');
    await r.cmd('f4', 'SEARCH RETURN (SAVE) ALL');
    await r.cmd('f5', 'SELECT INBOX');
    expect(await r.cmd('f6', 'FETCH $ (UID)')).toBe('f6 OK FETCH completed\r\n');
  });

  it('drops an expunged message from $', async () => {
    const s = await Raw.open(keep.ports.imap);
    try {
      await s.cmd('a', 'LOGIN alice alice-pw');
      await s.cmd('b', 'CREATE Scratch');
      for (let i = 0; i < 3; i++) {
        const m = `Subject: s${i}\r\n\r\nx\r\n`;
        await s.cmd(`p${i}`, Buffer.from(`p${i} APPEND Scratch {${m.length}+}\r\n${m}\r\n`));
      }
      await s.cmd('c', 'SELECT Scratch');
      await s.cmd('d', 'SEARCH RETURN (SAVE) 2:3');
      await s.cmd('e', 'STORE 2 +FLAGS (\\Deleted)');
      await s.cmd('f', 'EXPUNGE');
      expect(await s.cmd('g', 'SEARCH $')).toContain('* SEARCH 2\r\n');
    } finally {
      s.close();
    }
  });
});

describe('IMAP WITHIN', () => {
  it('finds messages by the age of their internal date', async () => {
    expect(await r.cmd('w1', 'SEARCH OLDER 86400')).toContain('* SEARCH 1 2\r\n');
    expect(await r.cmd('w2', 'SEARCH YOUNGER 86400')).toContain('* SEARCH 3 4 5 6\r\n');
    expect(await r.cmd('w3', 'SEARCH RETURN (COUNT) NOT YOUNGER 86400 SEEN')).toContain('* ESEARCH (TAG "w3") COUNT 1\r\n');
    expect(await r.cmd('w4', 'SEARCH OLDER 0')).toMatch(/^w4 BAD/m);
  });
});

describe('IMAP SEARCH KEYWORD', () => {
  it('finds keywords named like inherited object members (it failed as a bug)', async () => {
    expect(await r.cmd('s', 'STORE 3 +FLAGS.SILENT (constructor)')).toMatch(/s OK/);
    expect(await r.cmd('k', 'SEARCH KEYWORD constructor')).toMatch(/\* SEARCH 3\r\nk OK/);
    expect(await r.cmd('u', 'SEARCH UNKEYWORD toString')).toMatch(/\* SEARCH 1 2 3 4 5 6\r\nu OK/);
    expect(await r.cmd('c', 'STORE 3 -FLAGS.SILENT (constructor)')).toMatch(/c OK/);
  });

  it('finds no such keyword in a folder the user has never flagged anything in', async () => {
    const f = await Raw.open(keep.ports.imap);
    try {
      await f.cmd('l', 'LOGIN alice alice-pw');
      await f.cmd('c', 'CREATE Untouched');
      const m = 'Subject: x\r\n\r\ny\r\n';
      await f.cmd('a', `APPEND Untouched {${m.length}+}\r\n${m}`);
      await f.cmd('e', 'EXAMINE Untouched');
      expect(await f.cmd('k', 'SEARCH KEYWORD toString')).toMatch(/\* SEARCH\r\nk OK/);
      expect(await f.cmd('u', 'SEARCH UNKEYWORD constructor')).toMatch(/\* SEARCH 1\r\nu OK/);
    } finally {
      f.close();
    }
  });
});

