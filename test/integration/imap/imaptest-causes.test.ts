// The causes Dovecot's imaptest found (issue 19), each with the command sequence of the script
// that failed: atoms, uidvalidity, select/copy/search-flags (\Recent), keywords in FLAGS (stress),
// fetch-envelope, sort-addresses, search-date, fetch-body-message-rfc822-mime, sort-subject, move
// (per-room UIDs), subscribe, and FETCH or STORE of messages another session expunged or
// flagged (stress).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
let r2: Raw;
let tagN = 0;
const cmd = (text: string, on: Raw = r) => on.cmd(`c${++tagN}`, text);
async function append(box: string, msg: string, on: Raw = r): Promise<string> {
  const data = msg.replace(/\r?\n/g, '\r\n');
  const out = await cmd(`APPEND ${box} {${Buffer.byteLength(data)}+}\r\n${data}`, on);
  expect(out).toMatch(/ OK \[APPENDUID \d+ \d+\]/);
  return out;
}
const simple = (subject: string, extra = '') => `From: a@keep.test\nSubject: ${subject}\n${extra}\nbody of ${subject}\n`;

beforeAll(async () => {
  keep = await startWithUsers(['ivy']);
  r = await Raw.open(keep.ports.imap);
  r2 = await Raw.open(keep.ports.imap);
  await cmd('LOGIN ivy ivy-pw');
  await cmd('LOGIN ivy ivy-pw', r2);
});
afterAll(async () => {
  r?.close();
  r2?.close();
  await keep?.stop();
});

describe('IMAP after imaptest', () => {
  it('takes [ inside an atom (atoms)', async () => {
    expect(await cmd("SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}")).toMatch(/^c\d+ NO /m);
    expect(await cmd("LIST \"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*")).toMatch(/^c\d+ OK /m);
  });

  it('lets a deleted folder\'s name be created again, with a new UIDVALIDITY (uidvalidity)', async () => {
    await cmd('CREATE again');
    const before = /UIDVALIDITY (\d+)/.exec(await cmd('STATUS again (UIDVALIDITY)'))![1];
    expect(await cmd('DELETE again')).toMatch(/ OK /);
    expect(await cmd('CREATE again')).toMatch(/ OK /);
    const after = /UIDVALIDITY (\d+)/.exec(await cmd('STATUS again (UIDVALIDITY)'))![1];
    expect(after).not.toBe(before);
  });

  it('gives \\Recent to the first read-write SELECT only (select, search-flags)', async () => {
    await cmd('CREATE recent');
    await append('recent', simple('one'));
    await append('recent', simple('two'));
    expect(await cmd('EXAMINE recent')).toContain('* 2 RECENT\r\n');
    await cmd('CLOSE');
    expect(await cmd('STATUS recent (MESSAGES RECENT UNSEEN)')).toContain('(MESSAGES 2 RECENT 2 UNSEEN 2)');
    const sel = await cmd('SELECT recent');
    expect(sel).toContain('* 2 RECENT\r\n');
    expect(await cmd('FETCH 1 FLAGS')).toContain('* 1 FETCH (FLAGS (\\Recent))');
    expect(await cmd('SEARCH NEW')).toContain('* SEARCH 1 2\r\n');
    await cmd('CLOSE');
    expect(await cmd('STATUS recent (RECENT)')).toContain('(RECENT 0)');
  });

  it('announces a keyword in FLAGS before a FETCH shows it, also to another session (RFC 3501 §7.2.6)', async () => {
    await cmd('CREATE kw');
    await append('kw', simple('kw'));
    await cmd('SELECT kw');
    await cmd('SELECT kw', r2);
    const out = await cmd('STORE 1 +FLAGS ($Label1)');
    expect(out.indexOf('* FLAGS (')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('$Label1')).toBeLessThan(out.indexOf('* 1 FETCH'));
    const other = await cmd('NOOP', r2);
    expect(other).toMatch(/\* FLAGS \([^)]*\$Label1\)\r\n[\s\S]*\* 1 FETCH \(UID 1 FLAGS \([^)]*\$Label1\)\)/);
    await cmd('CLOSE', r2);
  });

  it('keeps groups and source routes in ENVELOPE and sorts CC on the group name (fetch-envelope, sort-addresses)', async () => {
    await cmd('CREATE env');
    await append('env', 'From: user@domain (Real Name)\nTo: group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;\nCc: group:;, group2: (foo) ;\n\nbody\n');
    await append('env', 'From: <@route:user@domain>\n\nbody\n');
    await append('env', 'From: b@x\nCc: blah@x\n\nbody\n');
    await cmd('SELECT env');
    const out = await cmd('FETCH 1:2 ENVELOPE');
    expect(out).toContain('((NIL NIL "group" NIL)(NIL NIL "g1" "d1.org")(NIL NIL "g2" "d2.org")(NIL NIL NIL NIL)(NIL NIL "group2" NIL)(NIL NIL "g3" "d3.org")(NIL NIL NIL NIL)) ((NIL NIL "group" NIL)(NIL NIL NIL NIL)(NIL NIL "group2" NIL)(NIL NIL NIL NIL))');
    expect(out).toContain('((NIL "@route" "user" "domain")) ((NIL "@route" "user" "domain")) ((NIL "@route" "user" "domain"))');
    expect(await cmd('SORT (CC) US-ASCII ALL')).toContain('* SORT 2 3 1\r\n');
  });

  it('finds SENTON by the Date header\'s own day, not the UTC day (search-date)', async () => {
    await cmd('CREATE dates');
    await append('dates', simple('late', 'Date: Sun, 25 Mar 2007 01:30:00 +0200\n'));
    await cmd('SELECT dates');
    expect(await cmd('SEARCH SENTON 25-Mar-2007')).toContain('* SEARCH 1\r\n');
    expect(await cmd('SEARCH SENTON 24-Mar-2007')).toContain('* SEARCH\r\n');
    expect(await cmd('SEARCH SENTBEFORE 25-Mar-2007')).toContain('* SEARCH\r\n');
  });

  it('reads padded boundaries and digest parts as messages (fetch-body-message-rfc822-mime)', async () => {
    await cmd('CREATE digest');
    await append('digest', 'From: a@x\nContent-Type: multipart/digest; boundary="foo"\n\nprologue\n\n--foo \n\nFrom: m1@example.com\nSubject: m1\n\nm1 body\n\n--foo \nX-Mime: m2 header\n\nFrom: m2@example.com\nSubject: m2\n\nm2 body\n\n--foo--\n');
    await cmd('SELECT digest');
    const out = await cmd('FETCH 1 (BODYSTRUCTURE BODY.PEEK[2.MIME] BODY.PEEK[1])');
    expect(out).toMatch(/BODYSTRUCTURE \(\("MESSAGE" "RFC822" .*\)\("MESSAGE" "RFC822" .*"DIGEST"/);
    expect(out).toContain('BODY[2.MIME] {21}\r\nX-Mime: m2 header\r\n\r\n');
    expect(out).toContain('BODY[1] {46}\r\nFrom: m1@example.com\r\nSubject: m1\r\n\r\nm1 body\r\n');
  });

  it('sorts on the RFC 5256 base subject (sort-subject)', async () => {
    await cmd('CREATE subjects');
    for (const s of ['b (a)', '[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)', 're: [fwd: [fwd: re: [fwd: babylon]]]', 'C', '_', '[xyz]']) await append('subjects', simple(s));
    await cmd('SELECT subjects');
    expect(await cmd('SORT (SUBJECT) US-ASCII ALL')).toContain('* SORT 2 1 3 4 6 5\r\n');
  });

  it('numbers UIDs per folder from 1, with an exact UIDNEXT; a MOVE into the same folder renumbers (move, uidplus)', async () => {
    await cmd('CREATE src');
    await cmd('CREATE fresh');
    await append('src', simple('a'));
    await append('src', simple('b'));
    expect(await cmd('STATUS fresh (UIDNEXT MESSAGES)')).toContain('(UIDNEXT 1 MESSAGES 0)');
    await cmd('SELECT src');
    const copied = await cmd('COPY 1:2 fresh');
    expect(copied).toMatch(/OK \[COPYUID \d+ 1:2 1:2\]/);
    expect(await cmd('STATUS fresh (UIDNEXT MESSAGES)')).toContain('(UIDNEXT 3 MESSAGES 2)');
    const moved = await cmd('MOVE 1 src');
    expect(moved).toMatch(/\* OK \[COPYUID \d+ 1 3\]/);
    expect(moved).toContain('* 1 EXPUNGE\r\n');
    expect(moved).toContain('* 2 EXISTS\r\n');
    expect(await cmd('UID FETCH 1:* (UID)')).toMatch(/\* 1 FETCH \(UID 2\)\r\n\* 2 FETCH \(UID 3\)\r\n/);
  });

  it('subscribes and unsubscribes own folders by name; a new folder starts unsubscribed (subscribe)', async () => {
    await cmd('CREATE subs/a');
    await cmd('CREATE subs/b');
    expect(await cmd('LSUB "" subs/*')).not.toContain('subs/a');
    expect(await cmd('SUBSCRIBE subs/a')).toMatch(/ OK /);
    expect(await cmd('LSUB "" subs/*')).toContain('"/" subs/a\r\n');
    expect(await cmd('LSUB "" %')).toMatch(/\* LSUB \([^)]*\\Noselect[^)]*\) "\/" subs\r\n/);
    expect(await cmd('UNSUBSCRIBE subs/a')).toMatch(/ OK /);
    expect(await cmd('LSUB "" subs/*')).not.toContain('subs/a');
    expect(await cmd('LSUB "" INBOX')).toContain('INBOX'); // folders that were there before stay subscribed
  });

  it('answers FETCH of a message another session expunged with its data and OK [EXPUNGEISSUED]', async () => {
    await cmd('CREATE gone');
    await append('gone', simple('doomed'));
    await cmd('SELECT gone');
    await cmd('SELECT gone', r2);
    await cmd('STORE 1 +FLAGS.SILENT (\\Deleted)', r2);
    await cmd('EXPUNGE', r2);
    const out = await cmd('FETCH 1 (UID BODY.PEEK[TEXT])');
    expect(out).toContain('* 1 FETCH (UID 1 BODY[TEXT] {16}\r\nbody of doomed\r\n)\r\n');
    expect(out).toMatch(/ OK \[EXPUNGEISSUED\]/);
    expect(await cmd('NOOP')).toContain('* 1 EXPUNGE\r\n');
  });
});
