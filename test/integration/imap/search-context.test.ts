// Updating searches (CONTEXT=SEARCH, RFC 5267 §4): SEARCH RETURN (UPDATE) notifications from
// this and other sessions, REMOVEFROM before EXPUNGE, CANCELUPDATE, NOUPDATE; PARTIAL is in
// esearch.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
let other: Raw;

async function append(c: Raw, box: string, subject: string): Promise<void> {
  const m = `From: a@x.test\r\nSubject: ${subject}\r\n\r\nx\r\n`;
  await c.cmd('ap', Buffer.from(`ap APPEND ${box} {${m.length}+}\r\n${m}\r\n`));
}

beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  r = await Raw.open(keep.ports.imap);
  other = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN alice alice-pw');
  await other.cmd('a', 'LOGIN alice alice-pw');
});
afterAll(async () => {
  r?.close();
  other?.close();
  await keep?.stop();
});

describe('IMAP CONTEXT=SEARCH', () => {
  it('advertises CONTEXT=SEARCH', async () => {
    expect(await r.cmd('k', 'CAPABILITY')).toMatch(/ CONTEXT=SEARCH[ \r]/);
  });

  it('tells ADDTO and REMOVEFROM as flags change here and in another session, and stops after CANCELUPDATE', async () => {
    await r.cmd('c', 'CREATE Ctx');
    for (let i = 1; i <= 4; i++) await append(r, 'Ctx', `m${i}`);
    await r.cmd('s', 'SELECT Ctx');
    await other.cmd('s', 'SELECT Ctx');
    expect(await r.cmd('u1', 'SEARCH RETURN (UPDATE ALL) FLAGGED')).toContain('* ESEARCH (TAG "u1")\r\n');
    expect(await r.cmd('f1', 'STORE 1,3 +FLAGS (\\Flagged)')).toContain('* ESEARCH (TAG "u1") ADDTO (0 1,3)\r\n');
    await other.cmd('f2', 'STORE 3 -FLAGS (\\Flagged)');
    expect(await r.cmd('n1', 'NOOP')).toContain('* ESEARCH (TAG "u1") REMOVEFROM (0 3)\r\n');
    const uids = /\* SEARCH ([\d ]+)/.exec(await r.cmd('u', 'UID SEARCH ALL'))![1]!.split(' ');
    expect(await r.cmd('u2', 'UID SEARCH RETURN (UPDATE COUNT) UNFLAGGED')).toContain('* ESEARCH (TAG "u2") UID COUNT 3\r\n');
    expect(await r.cmd('x1', 'CANCELUPDATE "u1"')).toMatch(/^x1 OK/m);
    const reply = await r.cmd('f3', 'STORE 2 +FLAGS (\\Flagged)');
    expect(reply).toContain(`* ESEARCH (TAG "u2") UID REMOVEFROM (0 ${uids[1]})\r\n`);
    expect(reply).not.toContain('TAG "u1"');
    expect(await r.cmd('x2', 'CANCELUPDATE "u2"')).toMatch(/^x2 OK/m);
  });

  it('adds arriving messages after their EXISTS and removes expunged ones before their EXPUNGE', async () => {
    expect(await r.cmd('u3', 'SEARCH RETURN (UPDATE) SUBJECT new')).toContain('* ESEARCH (TAG "u3")\r\n');
    await append(other, 'Ctx', 'new one');
    const arrived = await r.cmd('n2', 'NOOP');
    expect(arrived).toMatch(/\* 5 EXISTS\r\n[\s\S]*\* ESEARCH \(TAG "u3"\) ADDTO \(0 5\)\r\n/);
    await other.cmd('d', 'STORE 5 +FLAGS (\\Deleted)');
    await other.cmd('e', 'EXPUNGE');
    expect(await r.cmd('n3', 'NOOP')).toMatch(/\* ESEARCH \(TAG "u3"\) REMOVEFROM \(0 5\)\r\n\* 5 EXPUNGE\r\n/);
    await r.cmd('x3', 'CANCELUPDATE "u3"');
  });

  it('keeps the messages a sequence set named when the search ran', async () => {
    expect(await r.cmd('u4', 'SEARCH RETURN (UPDATE ALL) 2:3 UNSEEN')).toContain('* ESEARCH (TAG "u4") ALL 2:3\r\n');
    await r.cmd('d1', 'STORE 1 +FLAGS (\\Deleted)');
    expect(await r.cmd('e1', 'EXPUNGE')).toContain('* 1 EXPUNGE\r\n');
    // message 4 is now number 3, but it was not named by 2:3
    const seen = await r.cmd('f4', 'STORE 1:3 +FLAGS (\\Seen)');
    expect(seen).toContain('* ESEARCH (TAG "u4") REMOVEFROM (0 1:2)\r\n');
    await r.cmd('f5', 'STORE 3 -FLAGS (\\Seen)');
    expect(await r.cmd('n4', 'NOOP')).not.toContain('ADDTO');
    await r.cmd('x4', 'CANCELUPDATE "u4"');
  });

  it('refuses a tag in use, an unknown tag, and says NOUPDATE past ten contexts', async () => {
    await r.cmd('t0', 'SEARCH RETURN (UPDATE) ALL');
    expect(await r.cmd('t0', 'SEARCH RETURN (UPDATE) ALL')).toMatch(/^t0 BAD/m);
    expect(await r.cmd('y', 'CANCELUPDATE "nosuch"')).toMatch(/^y NO/m);
    for (let i = 1; i < 10; i++) await r.cmd(`t${i}`, 'SEARCH RETURN (UPDATE) ALL');
    const refused = await r.cmd('t10', 'SEARCH RETURN (UPDATE COUNT) ALL');
    expect(refused).toContain('* NO [NOUPDATE "t10"]');
    expect(refused).toMatch(/\* ESEARCH \(TAG "t10"\) COUNT \d+\r\nt10 OK/);
    // a new selection ends every context
    await r.cmd('s2', 'SELECT Ctx');
    expect(await r.cmd('y2', 'CANCELUPDATE "t0"')).toMatch(/^y2 NO/m);
  });
});

describe('IMAP CONTEXT=SORT', () => {
  it('pages through a sort and tells changes to an updating sort by position', async () => {
    expect(await r.cmd('k', 'CAPABILITY')).toMatch(/ CONTEXT=SORT[ \r]/);
    await r.cmd('c', 'CREATE SortCtx');
    for (const subject of ['c', 'a', 'e', 'b', 'd']) await append(r, 'SortCtx', subject);
    await r.cmd('s', 'SELECT SortCtx');
    await other.cmd('s', 'SELECT SortCtx');
    expect(await r.cmd('p1', 'SORT RETURN (PARTIAL 2:3) (REVERSE SUBJECT) UTF-8 ALL')).toContain('* ESEARCH (TAG "p1") PARTIAL (2:3 5,1)\r\n');
    expect(await r.cmd('v1', 'SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 UNFLAGGED')).toContain('* ESEARCH (TAG "v1") ALL 2,4,1,5,3\r\n');
    // b (4) and d (5) leave: runs at positions 2 and then 3 once b is gone
    expect(await r.cmd('f1', 'STORE 4,5 +FLAGS (\\Flagged)')).toContain('* ESEARCH (TAG "v1") REMOVEFROM (2 4 3 5)\r\n');
    expect(await r.cmd('f2', 'STORE 4 -FLAGS (\\Flagged)')).toContain('* ESEARCH (TAG "v1") ADDTO (2 4)\r\n');
    await append(other, 'SortCtx', 'aa');
    expect(await r.cmd('n1', 'NOOP')).toMatch(/\* 6 EXISTS\r\n[\s\S]*\* ESEARCH \(TAG "v1"\) ADDTO \(2 6\)\r\n/);
    await other.cmd('d', 'STORE 1 +FLAGS (\\Deleted)');
    await other.cmd('e', 'EXPUNGE');
    expect(await r.cmd('n2', 'NOOP')).toMatch(/\* ESEARCH \(TAG "v1"\) REMOVEFROM \(4 1\)\r\n\* 1 EXPUNGE\r\n/);
    expect(await r.cmd('x', 'CANCELUPDATE "v1"')).toMatch(/^x OK/m);
  });
});
