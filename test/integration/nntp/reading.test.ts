// NNTP reader commands over a raw socket (RFC 3977 §5-§8): every command's success reply and
// the error codes it owes, against the real keepd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { article, connect, postText, startNntpKeep } from './fixture.ts';
import type { NntpClient } from './nntp-client.ts';

const KITCHEN = 'keep.main-floor.kitchen';
let keep: Keep;
let c: NntpClient;
let nums: number[];
let textNum: number;
let postedId: string;
const fileStarted = Date.now();

beforeAll(async () => {
  keep = await startNntpKeep();
  c = await connect(keep, 'alice');
  const posted = await c.post(article({ groups: KITCHEN, subject: 'First post', body: ['hello', '.starts with a dot', '..two dots', 'end'] }));
  postedId = /<[^>]+>/.exec(posted.text)![0];
  await c.post(article({ groups: KITCHEN, subject: 'Second post', body: ['second'] }));
  textNum = (await postText(keep, 'Kitchen', [{ subject: 'Native café', text: 'native body\n.leading dot\nlast' }]))[0]!;
  await c.post(article({ groups: KITCHEN, subject: 'Fourth post', body: ['fourth'] }));
  nums = (await c.cmd('LISTGROUP keep.main-floor.kitchen', true)).lines.map(Number);
});
afterAll(async () => {
  c?.close();
  await keep?.stop();
});

describe('NNTP session commands', () => {
  it('greets with 200 and answers CAPABILITIES with 101 and the reader capabilities', async () => {
    const fresh = await connect(keep);
    expect(fresh.greeting.code).toBe(200);
    const caps = await fresh.cmd('CAPABILITIES');
    expect(caps.code).toBe(101);
    expect(caps.lines).toEqual(expect.arrayContaining(['VERSION 2', 'READER', 'POST', 'HDR', 'OVER MSGID', 'AUTHINFO USER', 'STARTTLS']));
    fresh.close();
  });

  it('drops AUTHINFO and STARTTLS from CAPABILITIES once logged in', async () => {
    const caps = await c.cmd('CAPABILITIES');
    expect(caps.lines).not.toContain('AUTHINFO USER');
    expect(caps.lines).not.toContain('STARTTLS');
  });

  it('answers MODE READER with 200, DATE with 111 and HELP with 100 naming every verb', async () => {
    expect((await c.cmd('MODE READER')).code).toBe(200);
    const before = Math.floor(Date.now() / 1000) * 1000;
    const date = await c.cmd('DATE');
    expect(date.code).toBe(111);
    expect(date.text).toMatch(/^\d{14}$/);
    const said = Date.UTC(+date.text.slice(0, 4), +date.text.slice(4, 6) - 1, +date.text.slice(6, 8), +date.text.slice(8, 10), +date.text.slice(10, 12), +date.text.slice(12, 14));
    expect(said).toBeGreaterThanOrEqual(before); // the server's clock between asking and hearing
    expect(said).toBeLessThanOrEqual(Date.now());
    const help = await c.cmd('HELP');
    expect(help.code).toBe(100);
    for (const verb of ['ARTICLE', 'BODY', 'HEAD', 'STAT', 'GROUP', 'LISTGROUP', 'LIST', 'NEXT', 'LAST', 'OVER', 'XOVER', 'HDR', 'XHDR', 'NEWGROUPS', 'NEWNEWS', 'POST', 'DATE', 'QUIT', 'STARTTLS', 'AUTHINFO USER', 'AUTHINFO PASS', 'MODE READER', 'CAPABILITIES']) {
      expect(help.lines.some((l) => l.trim().startsWith(`${verb} `))).toBe(true);
    }
  });

  it('answers an unknown command with 500', async () => {
    expect((await c.cmd('FROBNICATE now')).code).toBe(500);
  });

  it('answers QUIT with 205 and closes', async () => {
    const q = await connect(keep);
    expect((await q.cmd('QUIT')).code).toBe(205);
    await q.waitClosed();
  });
});

describe('NNTP LIST', () => {
  it('lists the active groups the user may read, with high, low and posting status', async () => {
    const r = await c.cmd('LIST ACTIVE');
    expect(r.code).toBe(215);
    expect(r.lines).toContain(`${KITCHEN} ${nums.at(-1)} ${nums[0]} y`);
    expect(r.lines).toContain('keep.main-floor.news 0 1 n');
    expect(r.lines.some((l) => l.startsWith('keep.main-floor.lobby '))).toBe(true);
    expect(r.lines.some((l) => l.includes('secret'))).toBe(false);
    expect(r.lines.some((l) => l.includes('mail'))).toBe(false);
    expect((await c.cmd('LIST')).lines).toEqual(r.lines);
  });

  it('filters by wildmat, negation included', async () => {
    expect((await c.cmd('LIST ACTIVE keep.*.k*')).lines.map((l) => l.split(' ')[0])).toEqual([KITCHEN]);
    expect((await c.cmd('LIST ACTIVE keep.*,!*.lobby,!*.news')).lines.map((l) => l.split(' ')[0])).toEqual([KITCHEN]);
  });

  it('lists NEWSGROUPS with descriptions, ACTIVE.TIMES with creation times', async () => {
    const ng = await c.cmd('LIST NEWSGROUPS');
    expect(ng.code).toBe(215);
    expect(ng.lines).toContain('keep.main-floor.lobby\tThe base room: everyone starts here.');
    const times = await c.cmd('LIST ACTIVE.TIMES keep.main-floor.kitchen');
    expect(times.lines).toHaveLength(1);
    const [, secs] = times.lines[0]!.split(' ');
    expect(Number(secs) * 1000).toBeGreaterThanOrEqual(Math.floor(fileStarted / 1000) * 1000); // made by this file's setup
    expect(Number(secs) * 1000).toBeLessThanOrEqual(Date.now());
  });

  it('gives OVERVIEW.FMT in the RFC 2980 spelling newsreaders check, and HEADERS', async () => {
    expect((await c.cmd('LIST OVERVIEW.FMT')).lines).toEqual(['Subject:', 'From:', 'Date:', 'Message-ID:', 'References:', 'Bytes:', 'Lines:', 'Xref:full']);
    expect((await c.cmd('LIST HEADERS')).lines).toEqual([':', ':bytes', ':lines']);
  });

  it('answers an unknown keyword or a malformed wildmat with 501', async () => {
    expect((await c.cmd('LIST FROBS')).code).toBe(501);
    expect((await c.cmd('LIST ACTIVE keep.[a]')).code).toBe(501);
  });
});

describe('NNTP GROUP and LISTGROUP', () => {
  it('selects a group: 211 count low high name', async () => {
    const r = await c.cmd(`GROUP ${KITCHEN}`);
    expect(r).toMatchObject({ code: 211, text: `4 ${nums[0]} ${nums.at(-1)} ${KITCHEN}` });
  });

  it('reports an empty group with high = low - 1', async () => {
    expect((await c.cmd('GROUP keep.main-floor.news')).text).toBe('0 1 0 keep.main-floor.news');
  });

  it('answers an unknown or unreadable group with 411', async () => {
    expect((await c.cmd('GROUP keep.nope.nothing')).code).toBe(411);
    expect((await c.cmd('GROUP keep.main-floor.secret-room')).code).toBe(411);
    expect((await c.cmd('LISTGROUP keep.nope.nothing')).code).toBe(411);
  });

  it('lists article numbers, all or in a range', async () => {
    const all = await c.cmd(`LISTGROUP ${KITCHEN}`, true);
    expect(all.code).toBe(211);
    expect(all.lines.map(Number)).toEqual(nums);
    const some = await c.cmd(`LISTGROUP ${KITCHEN} ${nums[1]}-${nums[2]}`, true);
    expect(some.lines.map(Number)).toEqual(nums.slice(1, 3));
  });

  it('answers LISTGROUP without a group selected with 412', async () => {
    const fresh = await connect(keep, 'bob');
    expect((await fresh.cmd('LISTGROUP')).code).toBe(412);
    fresh.close();
  });
});

describe('NNTP ARTICLE, HEAD, BODY, STAT', () => {
  it('returns an article by number with the news headers and the body un-dot-stuffed by the client', async () => {
    await c.cmd(`GROUP ${KITCHEN}`);
    const r = await c.cmd(`ARTICLE ${nums[0]}`);
    expect(r.code).toBe(220);
    expect(r.text).toBe(`${nums[0]} ${postedId}`);
    const blank = r.lines.indexOf('');
    const head = r.lines.slice(0, blank);
    for (const f of ['Path', 'Newsgroups', 'Message-ID', 'Date', 'From', 'Subject', 'Lines', 'Bytes', 'Xref']) {
      expect(head.some((l) => l.startsWith(`${f}: `))).toBe(true);
    }
    expect(head).toContain(`Newsgroups: ${KITCHEN}`);
    expect(r.lines.slice(blank + 1)).toEqual(['hello', '.starts with a dot', '..two dots', 'end']);
  });

  it('doubles leading dots on the wire (dot-stuffing out)', async () => {
    c.write(`BODY ${nums[0]}\r\n`);
    expect(await c.line()).toMatch(/^222 /);
    const raw: string[] = [];
    for (let i = 0; i < 10; i++) {
      const l = await c.line();
      if (l === '.') break;
      raw.push(l);
    }
    expect(raw).toEqual(['hello', '..starts with a dot', '...two dots', 'end']);
  });

  it('renders a native text post in its deterministic form, the same on every fetch', async () => {
    const a = await c.cmd(`ARTICLE ${textNum}`);
    const b = await c.cmd(`ARTICLE ${textNum}`);
    expect(a.code).toBe(220);
    expect(a.lines).toEqual(b.lines);
    expect(a.lines).toContain('Content-Type: text/plain; charset=utf-8');
    expect(a.lines.slice(a.lines.indexOf('') + 1)).toEqual(['native body', '.leading dot', 'last']);
    const subject = a.lines.find((l) => l.startsWith('Subject: '))!;
    expect(subject).toMatch(/=\?utf-8\?Q\?Native_caf=C3=A9\?=/i);
  });

  it('returns only the head for HEAD and only the body for BODY', async () => {
    const h = await c.cmd(`HEAD ${nums[1]}`);
    expect(h.code).toBe(221);
    expect(h.lines).toContain('Subject: Second post');
    expect(h.lines).not.toContain('');
    const b = await c.cmd(`BODY ${nums[1]}`);
    expect(b).toMatchObject({ code: 222, lines: ['second'] });
  });

  it('finds articles by message-id without a group, with STAT 223', async () => {
    const fresh = await connect(keep, 'bob');
    const r = await fresh.cmd(`ARTICLE ${postedId}`);
    expect(r.code).toBe(220);
    expect(r.text).toBe(`0 ${postedId}`);
    expect((await fresh.cmd(`STAT ${postedId}`)).code).toBe(223);
    expect((await fresh.cmd(`HEAD ${postedId}`)).code).toBe(221);
    expect((await fresh.cmd(`BODY ${postedId}`)).code).toBe(222);
    fresh.close();
  });

  it('STAT by number sets the current article for a bare ARTICLE', async () => {
    expect((await c.cmd(`STAT ${nums[2]}`)).text).toMatch(new RegExp(`^${nums[2]} <`));
    expect((await c.cmd('ARTICLE')).text).toMatch(new RegExp(`^${nums[2]} <`));
  });

  it('answers 412 without a group, 420 without a current article, 423 for a missing number, 430 for a missing id', async () => {
    const fresh = await connect(keep, 'bob');
    expect((await fresh.cmd('ARTICLE 1')).code).toBe(412);
    expect((await fresh.cmd('ARTICLE')).code).toBe(412);
    expect((await fresh.cmd('GROUP keep.main-floor.news')).code).toBe(211);
    expect((await fresh.cmd('ARTICLE')).code).toBe(420);
    expect((await fresh.cmd('STAT')).code).toBe(420);
    expect((await fresh.cmd('NEXT')).code).toBe(420);
    expect((await fresh.cmd(`ARTICLE ${nums[0]}`)).code).toBe(423);
    expect((await fresh.cmd('HEAD 999999')).code).toBe(423);
    expect((await fresh.cmd('STAT <no-such-id@keep.test>')).code).toBe(430);
    expect((await fresh.cmd('ARTICLE <no-such-id@keep.test>')).code).toBe(430);
    expect((await fresh.cmd('ARTICLE <bad id>')).code).toBe(501);
    fresh.close();
  });
});

describe('NNTP NEXT and LAST', () => {
  it('walks the group forward and back, 421 at the end and 422 at the start', async () => {
    await c.cmd(`GROUP ${KITCHEN}`);
    const seen: number[] = [nums[0]!];
    for (let i = 0; i < 10; i++) {
      const r = await c.cmd('NEXT');
      if (r.code === 421) break;
      expect(r.code).toBe(223);
      seen.push(Number(r.text.split(' ')[0]));
    }
    expect(seen).toEqual(nums);
    expect((await c.cmd('NEXT')).code).toBe(421);
    expect((await c.cmd('LAST')).text).toMatch(new RegExp(`^${nums.at(-2)} `));
    await c.cmd(`STAT ${nums[0]}`);
    expect((await c.cmd('LAST')).code).toBe(422);
  });
});

describe('NNTP OVER and XOVER', () => {
  it('gives overview lines from stored metadata for a range', async () => {
    await c.cmd(`GROUP ${KITCHEN}`);
    const r = await c.cmd(`OVER ${nums[0]}-`);
    expect(r.code).toBe(224);
    expect(r.lines).toHaveLength(4);
    const f = r.lines[0]!.split('\t');
    expect(f[0]).toBe(String(nums[0]));
    expect(f[1]).toBe('First post');
    expect(f[2]).toBe('alice <alice@keep.test>'); // the account's name, not the display name written
    expect(f[4]).toBe(postedId);
    expect(Number(f[6])).toBeGreaterThan(0);
    expect(f[7]).toBe('4');
    expect(f[8]).toBe(`Xref: keep.test ${KITCHEN}:${nums[0]}`);
    const native = r.lines[2]!.split('\t');
    expect(native[1]).toBe('=?UTF-8?Q?Native_caf=C3=A9?='); // the Subject as stored: the same bytes ARTICLE shows
    expect((await c.cmd(`XOVER ${nums[0]}-${nums[1]}`)).lines).toEqual(r.lines.slice(0, 2));
  });

  it('gives, field by field, what OVERVIEW.FMT names and HDR answers', async () => {
    const fmt = (await c.cmd('LIST OVERVIEW.FMT')).lines;
    await c.cmd(`GROUP ${KITCHEN}`);
    const over = (await c.cmd(`OVER ${nums[0]}-`)).lines.map((l) => l.split('\t'));
    for (const [i, field] of fmt.entries()) {
      const isFull = field.endsWith(':full');
      const name = field.replace(/:(full)?$/, '');
      const hdr = (await c.cmd(`HDR ${name} ${nums[0]}-`)).lines;
      expect(hdr).toHaveLength(over.length);
      for (const [j, line] of over.entries()) {
        expect(line).toHaveLength(fmt.length + 1);
        const value = hdr[j]!.slice(hdr[j]!.indexOf(' ') + 1);
        expect(line[i + 1], `${field} of article ${line[0]}`).toBe(isFull ? `${name}: ${value}` : value);
      }
    }
  });

  it('gives the current article without a range and 0 as number by message-id outside the group', async () => {
    await c.cmd(`STAT ${nums[1]}`);
    expect((await c.cmd('OVER')).lines[0]!.split('\t')[0]).toBe(String(nums[1]));
    await c.cmd('GROUP keep.main-floor.news');
    expect((await c.cmd(`OVER ${postedId}`)).lines[0]!.split('\t')[0]).toBe('0');
  });

  it('answers 423 for an empty range, 412 without a group, 420 without a current article, 430 for an unknown id', async () => {
    await c.cmd(`GROUP ${KITCHEN}`);
    expect((await c.cmd('OVER 900000-900010')).code).toBe(423);
    expect((await c.cmd('OVER 5-2')).code).toBe(423);
    expect((await c.cmd('OVER <nobody@keep.test>')).code).toBe(430);
    await c.cmd('GROUP keep.main-floor.news');
    expect((await c.cmd('OVER')).code).toBe(420);
    const fresh = await connect(keep, 'bob');
    expect((await fresh.cmd('OVER 1-')).code).toBe(412);
    fresh.close();
  });
});

describe('NNTP HDR and XHDR', () => {
  it('gives one field per article, :bytes and :lines included', async () => {
    await c.cmd(`GROUP ${KITCHEN}`);
    const s = await c.cmd(`HDR Subject ${nums[0]}-${nums[1]}`);
    expect(s).toMatchObject({ code: 225, lines: [`${nums[0]} First post`, `${nums[1]} Second post`] });
    expect((await c.cmd(`HDR :lines ${nums[0]}`)).lines).toEqual([`${nums[0]} 4`]);
    expect((await c.cmd(`HDR message-id ${postedId}`)).lines).toEqual([`${nums[0]} ${postedId}`]); // in the selected group: its number
    expect((await c.cmd(`HDR X-Nothing ${nums[0]}`)).lines).toEqual([`${nums[0]} `]);
    const x = await c.cmd(`XHDR subject ${nums[1]}`);
    expect(x).toMatchObject({ code: 221, lines: [`${nums[1]} Second post`] });
    expect((await c.cmd(`XHDR subject ${postedId}`)).lines).toEqual([`${postedId} First post`]);
  });

  it('answers HDR without a field with 501', async () => {
    expect((await c.cmd('HDR')).code).toBe(501);
  });
});

describe('NNTP NEWGROUPS and NEWNEWS', () => {
  it('lists groups created since a time, none from the future', async () => {
    const r = await c.cmd('NEWGROUPS 20000101 000000 GMT');
    expect(r.code).toBe(231);
    expect(r.lines.some((l) => l.startsWith(`${KITCHEN} `))).toBe(true);
    expect((await c.cmd('NEWGROUPS 990101 000000')).lines).toEqual(r.lines); // 1999: two-digit years
    expect((await c.cmd('NEWGROUPS 21000101 000000 GMT')).lines).toEqual([]);
  });

  it('lists message-ids of articles since a time in matching groups', async () => {
    const r = await c.cmd('NEWNEWS keep.*.kitchen 20000101 000000 GMT');
    expect(r.code).toBe(230);
    expect(r.lines).toHaveLength(4);
    expect(r.lines).toContain(postedId);
    expect((await c.cmd('NEWNEWS keep.*.lobby 20000101 000000 GMT')).lines).toEqual([]);
    expect((await c.cmd('NEWNEWS * 21000101 000000 GMT')).lines).toEqual([]);
  });

  it('answers a malformed date with 501', async () => {
    expect((await c.cmd('NEWGROUPS 2000 000000')).code).toBe(501);
    expect((await c.cmd('NEWGROUPS 20001301 000000')).code).toBe(501);
    expect((await c.cmd('NEWNEWS * 20000101 250000')).code).toBe(501);
  });
});
