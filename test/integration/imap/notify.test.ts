// NOTIFY (RFC 5465): a session is told, without asking, of new and expunged messages and flag
// changes in the selected folder, of other folders' counts (STATUS), and of folders created,
// renamed, deleted and (un)subscribed (LIST), by whichever session or protocol made the change.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let a: Raw;
let b: Raw;
beforeAll(async () => {
  keep = await startWithUsers(['erin']);
});
beforeEach(async () => {
  a = await Raw.open(keep.ports.imap);
  b = await Raw.open(keep.ports.imap);
  await a.cmd('a', 'LOGIN erin erin-pw');
  await b.cmd('a', 'LOGIN erin erin-pw');
});
afterEach(() => {
  a?.close();
  b?.close();
});
afterAll(async () => {
  await keep?.stop();
});

const append = (r: Raw, box: string, subject: string) => {
  const m = message(subject);
  return r.cmd('ap', Buffer.concat([Buffer.from(`ap APPEND ${box} {${m.length}+}\r\n`), m, Buffer.from('\r\n')]));
};
/** Wait (bounded) until the unsolicited text matches, and take it. */
const told = async (r: Raw, re: RegExp) => {
  const text = await r.until((buf) => re.test(buf), 20_000);
  r.buf = '';
  return text;
};

describe('IMAP NOTIFY', () => {
  it('advertises NOTIFY and refuses malformed or unsupported event sets', async () => {
    expect(await a.cmd('b', 'CAPABILITY')).toMatch(/ NOTIFY[ \r]/);
    expect(await a.cmd('c', 'NOTIFY SET (PERSONAL (AnnotationChange))')).toMatch(/^c NO \[BADEVENT \(MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange\)\]/m);
    expect(await a.cmd('d', 'NOTIFY SET (PERSONAL (MessageNew))')).toMatch(/^d BAD/m);
    expect(await a.cmd('e', 'NOTIFY SET (PERSONAL (FlagChange))')).toMatch(/^e BAD/m);
    expect(await a.cmd('f', 'NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))')).toMatch(/^f BAD/m);
    expect(await a.cmd('g', 'NOTIFY SET (NOWHERE (MessageNew MessageExpunge))')).toMatch(/^g BAD/m);
  });

  it('pushes the selected folder\'s new messages with their fetch attributes, and flag changes, between commands', async () => {
    await a.cmd('b', 'SELECT INBOX');
    expect(await a.cmd('c', 'NOTIFY SET (SELECTED (MessageNew (UID FLAGS) MessageExpunge FlagChange))')).toMatch(/^c OK/m);
    await append(b, 'INBOX', 'pushed');
    const got = await told(a, /\* 1 FETCH \(UID \d+ FLAGS \([^)]*\)\)\r\n/);
    expect(got).toMatch(/\* 1 EXISTS\r\n[\s\S]*\* 1 FETCH \(UID 1 FLAGS \(\\Recent\)\)\r\n/);
    await b.cmd('s', 'SELECT INBOX');
    await b.cmd('t', 'STORE 1 +FLAGS (\\Flagged)');
    expect(await told(a, /\* 1 FETCH \([^)]*\\Flagged/)).toMatch(/FLAGS \([^)]*\\Flagged/);
    await b.cmd('u', 'STORE 1 +FLAGS (\\Deleted)');
    await b.cmd('v', 'EXPUNGE');
    expect(await told(a, /\* 1 EXPUNGE\r\n/)).toContain('* 1 EXPUNGE');
  });

  it('sends MessageNew\'s fetch attributes also when a command tells the new message first', async () => {
    await a.cmd('b', 'SELECT INBOX');
    await a.cmd('c', 'NOTIFY SET (SELECTED (MessageNew (FLAGS) MessageExpunge))');
    a.buf = '';
    await append(b, 'INBOX', 'raced');
    a.raw.write('d NOOP\r\n');
    const got = await a.until((buf) => /d OK/.test(buf) && /\* \d+ FETCH \(UID \d+ FLAGS/.test(buf), 20_000);
    expect(got).toMatch(/\* (\d+) EXISTS\r\n[\s\S]*\* \1 FETCH \(UID \d+ FLAGS \(/);
    a.buf = '';
  });

  it('pushes nothing for the selected folder with (SELECTED NONE), and NOOP still tells it', async () => {
    await a.cmd('b', 'SELECT INBOX');
    await a.cmd('c', 'NOTIFY SET (SELECTED NONE) (MAILBOXES Elsewhere (MessageNew MessageExpunge))');
    a.buf = '';
    await append(b, 'INBOX', 'quiet');
    // a change in a watched folder is pushed; the selected folder's waits
    await b.cmd('d', 'CREATE Elsewhere');
    await append(b, 'Elsewhere', 'loud');
    const pushed = await told(a, /\* STATUS Elsewhere /);
    expect(pushed).not.toContain('EXISTS');
    expect(await a.cmd('e', 'NOOP')).toMatch(/\* \d+ EXISTS\r\n/);
  });

  it('keeps EXPUNGE for a command with SELECTED-DELAYED', async () => {
    await append(b, 'INBOX', 'doomed');
    await a.cmd('b', 'SELECT INBOX');
    await a.cmd('c', 'NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge))');
    await b.cmd('d', 'SELECT INBOX');
    await b.cmd('e', 'STORE 1:* +FLAGS.SILENT (\\Deleted)');
    await b.cmd('f', 'EXPUNGE');
    await append(b, 'INBOX', 'marker');
    // the new message is pushed; the expunge before it waits for NOOP
    const pushed = await told(a, /\* \d+ EXISTS\r\n/);
    expect(pushed).not.toContain('EXPUNGE');
    expect(await a.cmd('g', 'NOOP')).toMatch(/\* 1 EXPUNGE\r\n/);
  });

  it('tells other folders\' counts as STATUS, at once with SET STATUS', async () => {
    await a.cmd('b', 'CREATE Lists');
    await append(b, 'Lists', 'first');
    const set = await a.cmd('c', 'NOTIFY SET STATUS (MAILBOXES Lists (MessageNew MessageExpunge))');
    expect(set).toMatch(/\* STATUS Lists \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)\r\n/);
    await append(b, 'Lists', 'second');
    expect(await told(a, /\* STATUS Lists [^\r]*\r\n/)).toMatch(/\* STATUS Lists \(MESSAGES 2 UIDNEXT 3 UNSEEN 2\)\r\n/);
    expect(await a.cmd('d', 'NOTIFY NONE')).toMatch(/^d OK/m);
    await append(b, 'Lists', 'third');
    expect(await a.cmd('e', 'NOOP')).not.toContain('STATUS');
  });

  it('tells folders created, renamed, deleted and (un)subscribed as LIST', async () => {
    await a.cmd('b', 'NOTIFY SET (PERSONAL (MailboxName SubscriptionChange))');
    await b.cmd('c', 'CREATE Trips');
    expect(await told(a, /\* LIST [^\r]*Trips\r\n/)).toContain('* LIST () "/" Trips\r\n');
    await b.cmd('d', 'SUBSCRIBE Trips');
    expect(await told(a, /\* LIST \(\\Subscribed\) "\/" Trips\r\n/)).toBeTruthy();
    await b.cmd('e', 'RENAME Trips Journeys');
    expect(await told(a, /OLDNAME[^\r]*\r\n/)).toContain('* LIST () "/" Journeys ("OLDNAME" (Trips))\r\n');
    await b.cmd('f', 'DELETE Journeys');
    expect(await told(a, /\* LIST \(\\NonExistent\) "\/" Journeys\r\n/)).toBeTruthy();
  });
});
