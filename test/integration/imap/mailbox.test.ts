// IMAP folders and messages through imapflow: LIST with SPECIAL-USE, CREATE/RENAME/DELETE,
// APPEND (APPENDUID), SELECT, FETCH items, STORE, SEARCH, COPY/MOVE (COPYUID), EXPUNGE.
// Every case logs in as a user of its own and puts in the mailbox what it reads, so each runs
// alone and in any order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { addUsers, flow, message, Raw } from './fixture.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startKeep();
});
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});
afterAll(async () => {
  await keep?.stop();
});

let users = 0;
/** A new user with an empty INBOX, logged in with imapflow; name is their login. */
async function freshUser(): Promise<{ c: ImapFlow; name: string }> {
  const name = `user${++users}`;
  await addUsers(keep, [name]);
  const c = await flow(keep, name);
  open.push({ close: () => c.logout().catch(() => undefined) });
  return { c, name };
}

/** A raw connection logged in as name. */
async function raw(name: string): Promise<Raw> {
  const r = await Raw.open(keep.ports.imap);
  open.push(r);
  await r.cmd('a', `LOGIN ${name} ${name}-pw`);
  return r;
}

/** INBOX holding one message: \Flagged, internal date 2026-03-02 10:00 UTC; returns its UID. */
async function withFirstMessage(c: ImapFlow): Promise<number> {
  const res = await c.append('INBOX', message('First message', 'Body one.\r\nSecond line.\r\n'), ['\\Flagged'], new Date('2026-03-02T10:00:00Z'));
  if (!res || !res.uid) throw new Error('APPEND gave no UID');
  return res.uid;
}

/**
 * INBOX holding four messages, selected: 1 First message (\Flagged, 2026-03-02),
 * 2 Quarterly report (\Answered $Important), 3 Lunch plans (\Draft), 4 Report draft (no flags).
 */
async function withFourMessages(c: ImapFlow): Promise<void> {
  await withFirstMessage(c);
  for (const s of ['Quarterly report', 'Lunch plans', 'Report draft']) await c.append('INBOX', message(s, `About ${s.toLowerCase()}.\r\n`));
  await c.mailboxOpen('INBOX');
  await c.messageFlagsAdd('2', ['\\Answered', '$Important']);
  await c.messageFlagsSet('3', ['\\Draft']);
}

describe('IMAP LIST and folders', () => {
  it('lists INBOX, the special-use folders and the shared rooms', async () => {
    const { c } = await freshUser();
    const list = await c.list();
    const byPath = new Map(list.map((m) => [m.path, m]));
    expect([...byPath.keys()]).toEqual(expect.arrayContaining(['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Public/Lobby']));
    expect(byPath.get('Sent')!.specialUse).toBe('\\Sent');
    expect(byPath.get('Trash')!.specialUse).toBe('\\Trash');
    expect(byPath.get('Public')!.flags.has('\\Noselect')).toBe(true);
    expect([...byPath.keys()]).not.toContain('Public/Aide');
  });

  it('creates, renames and deletes a folder', async () => {
    const { c } = await freshUser();
    await c.mailboxCreate('Projects');
    expect((await c.list()).map((m) => m.path)).toContain('Projects');
    await c.mailboxRename('Projects', 'Archive');
    const paths = (await c.list()).map((m) => m.path);
    expect(paths).toContain('Archive');
    expect(paths).not.toContain('Projects');
    await c.mailboxDelete('Archive');
    expect((await c.list()).map((m) => m.path)).not.toContain('Archive');
  });

  it('refuses to create a reserved name and to delete INBOX', async () => {
    const { name } = await freshUser();
    const r = await raw(name);
    expect(await r.cmd('b', 'CREATE Sent')).toMatch(/^b NO \[ALREADYEXISTS\]/m);
    expect(await r.cmd('c', 'DELETE INBOX')).toMatch(/^c NO \[NOPERM\]/m);
    expect(await r.cmd('d', 'SELECT Nope')).toMatch(/^d NO \[NONEXISTENT\]/m);
  });
});

describe('IMAP APPEND, SELECT and FETCH', () => {
  it('appends with flags and date and answers APPENDUID', async () => {
    const { c } = await freshUser();
    const uid1 = await withFirstMessage(c);
    expect(uid1).toBeGreaterThan(0);
    const st = await c.status('INBOX', { messages: true, uidNext: true, unseen: true });
    expect(st).toMatchObject({ messages: 1, unseen: 1 });
    expect((st as { uidNext: number }).uidNext).toBeGreaterThan(uid1);
  });

  it('selects INBOX with UIDVALIDITY, UIDNEXT and EXISTS', async () => {
    const { c } = await freshUser();
    const uid1 = await withFirstMessage(c);
    const box = await c.mailboxOpen('INBOX');
    expect(box.exists).toBe(1);
    expect(Number(box.uidValidity)).toBeGreaterThan(0);
    expect(box.uidNext).toBeGreaterThan(uid1);
    expect(box.readOnly).toBe(false);
  });

  it('fetches FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE from stored metadata', async () => {
    const { c } = await freshUser();
    const uid1 = await withFirstMessage(c);
    await c.mailboxOpen('INBOX');
    const m = await c.fetchOne('1', { uid: true, flags: true, internalDate: true, size: true, envelope: true, bodyStructure: true });
    expect(m).toBeTruthy();
    if (!m) return;
    expect(m.uid).toBe(uid1);
    expect([...m.flags!].filter((x) => x !== '\\Recent')).toEqual(['\\Flagged']);
    expect(new Date(m.internalDate!).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    const src = await c.fetchOne('1', { source: true });
    expect(m.size).toBe(src && src.source!.length);
    expect(m.envelope!.subject).toBe('First message');
    expect(m.envelope!.from![0]).toMatchObject({ name: 'Alice Example', address: 'alice@keep.test' });
    expect(m.envelope!.to![0]).toMatchObject({ address: 'bob@keep.test' });
    expect(m.bodyStructure).toMatchObject({ type: 'text/plain', size: 'Body one.\r\nSecond line.\r\n'.length });
  });

  it('fetches BODY.PEEK[] byte for byte, partials and HEADER.FIELDS without setting \\Seen', async () => {
    const { c, name } = await freshUser();
    const uid1 = await withFirstMessage(c);
    await c.mailboxOpen('INBOX');
    const m = await c.fetchOne(String(uid1), { source: true, headers: ['subject', 'from'], bodyParts: ['TEXT'] }, { uid: true });
    if (!m) throw new Error('no message');
    expect(m.source!.toString()).toMatch(/^From: Alice Example <alice@keep.test>\r\n/);
    expect(m.source!.toString().endsWith('Body one.\r\nSecond line.\r\n')).toBe(true);
    expect(m.headers!.toString()).toBe('From: Alice Example <alice@keep.test>\r\nSubject: First message\r\n\r\n');
    expect(m.bodyParts!.get('text')!.toString()).toBe('Body one.\r\nSecond line.\r\n');
    const r = await raw(name);
    await r.cmd('b', 'EXAMINE INBOX');
    expect(await r.cmd('c', 'FETCH 1 (BODY.PEEK[TEXT]<5.3> FLAGS)')).toContain('* 1 FETCH (BODY[TEXT]<5> {3}\r\none FLAGS (\\Flagged))');
    expect(await r.cmd('d', 'FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (From To Date Message-ID)]')).toContain('{26}\r\nSubject: First message\r\n\r\n)');
    expect(await r.cmd('e', 'FETCH 1 (BODY[1.MIME] BODY[2])')).toMatch(/BODY\[2\] \{0\}/);
    const again = await c.fetchOne('1', { flags: true });
    expect(again && [...again.flags!]).not.toContain('\\Seen');
  });

  it('sets \\Seen when a body is fetched without PEEK', async () => {
    const { c, name } = await freshUser();
    await withFirstMessage(c);
    const r = await raw(name);
    await r.cmd('b', 'SELECT INBOX');
    const out = await r.cmd('c', 'FETCH 1 BODY[TEXT]');
    const flags = /FLAGS \(([^)]*)\)/.exec(out)?.[1]?.split(' ').filter((f) => f !== '\\Recent').sort();
    expect(flags).toEqual(['\\Flagged', '\\Seen']);
    const st = await c.status('INBOX', { unseen: true });
    expect(st && st.unseen).toBe(0);
  });
});

describe('IMAP STORE, SEARCH, COPY, MOVE, EXPUNGE', () => {
  it('stores flags and keywords and searches by them', async () => {
    const { c } = await freshUser();
    await withFirstMessage(c);
    for (const s of ['Quarterly report', 'Lunch plans', 'Report draft']) await c.append('INBOX', message(s, `About ${s.toLowerCase()}.\r\n`));
    await c.mailboxOpen('INBOX');
    await c.messageFlagsAdd('2:3', ['\\Answered', '$Important']);
    await c.messageFlagsRemove('1', ['\\Seen']);
    const f = await c.fetchOne('2', { flags: true });
    expect(f && [...f.flags!].filter((x) => x !== '\\Recent').sort()).toEqual(['$Important', '\\Answered']);
    await c.messageFlagsSet('3', ['\\Draft']);
    const f3 = await c.fetchOne('3', { flags: true });
    expect(f3 && [...f3.flags!].filter((x) => x !== '\\Recent')).toEqual(['\\Draft']);
    expect(await c.search({ keyword: '$Important' })).toEqual([2]);
    expect(await c.search({ answered: true })).toEqual([2]);
    expect(await c.search({ draft: true, seen: false })).toEqual([3]);
  });

  it('searches headers, text, sizes, dates, OR/NOT and UID sets', async () => {
    const { c, name } = await freshUser();
    await withFourMessages(c);
    expect(await c.search({ subject: 'report' })).toEqual([2, 4]);
    expect(await c.search({ body: 'lunch plans' })).toEqual([3]);
    expect(await c.search({ from: 'alice@keep.test' })).toEqual([1, 2, 3, 4]);
    expect(await c.search({ or: [{ subject: 'lunch' }, { subject: 'first' }] })).toEqual([1, 3]);
    expect(await c.search({ not: { subject: 'report' } })).toEqual([1, 3]);
    expect(await c.search({ header: { 'message-id': 'Lunchplans' } })).toEqual([3]);
    expect(await c.search({ larger: 10, smaller: 100000 })).toEqual([1, 2, 3, 4]);
    expect(await c.search({ sentOn: new Date('2026-03-02T00:00:00Z') })).toEqual([1, 2, 3, 4]);
    expect(await c.search({ since: new Date('2026-03-03T00:00:00Z') })).toEqual([2, 3, 4]);
    const uids = (await c.search({ all: true }, { uid: true })) as number[];
    expect(await c.search({ uid: `${uids[1]}:${uids[2]}` })).toEqual([2, 3]);
    const r = await raw(name);
    await r.cmd('b', 'SELECT INBOX');
    expect(await r.cmd('c', 'SEARCH CHARSET KOI8-R ALL')).toMatch(/^c NO \[BADCHARSET/m);
    expect(await r.cmd('d', 'SEARCH 2:* UNANSWERED')).toContain('* SEARCH 3 4\r\n');
    expect(await r.cmd('e', 'SEARCH BOGUS')).toMatch(/^e BAD /m);
  });

  it('copies with COPYUID, keeping flags, and moves with untagged EXPUNGE', async () => {
    const { c, name } = await freshUser();
    await withFourMessages(c);
    const uids = (await c.search({ all: true }, { uid: true })) as number[];
    const res = await c.messageCopy('2', 'Trash');
    expect(res && res.uidMap && res.uidMap.get(uids[1]!)).toBe(1); // Trash numbers its own messages
    const moved = await c.messageMove('4', 'Drafts');
    expect(moved && moved.uidMap && moved.uidMap.size).toBe(1);
    expect(c.mailbox && (c.mailbox as { exists: number }).exists).toBe(3);
    const trash = await c.mailboxOpen('Trash');
    expect(trash.exists).toBe(1);
    const f = await c.fetchOne('1', { flags: true, uid: true });
    expect(f && f.uid).toBe(1);
    expect(f && [...f.flags!].filter((x) => x !== '\\Recent').sort()).toEqual(['$Important', '\\Answered']);
    const r = await raw(name);
    await r.cmd('b', 'SELECT Trash');
    expect(await r.cmd('c', 'COPY 1 Nowhere')).toMatch(/^c NO \[TRYCREATE\]/m);
  });

  it('expunges \\Deleted messages and reports their sequence numbers', async () => {
    const { c, name } = await freshUser();
    await withFourMessages(c);
    const before = (await c.search({ all: true }, { uid: true })) as number[];
    await c.messageFlagsAdd('1', ['\\Deleted']);
    const r = await raw(name);
    await r.cmd('b', 'SELECT INBOX');
    expect(await r.cmd('c', 'EXPUNGE')).toMatch(/^\* 1 EXPUNGE\r\nc OK/);
    expect(await r.cmd('d', 'UID SEARCH ALL')).toContain(`* SEARCH ${before.slice(1).join(' ')}\r\n`);
    await c.noop();
    expect((c.mailbox as { exists: number }).exists).toBe(before.length - 1);
  });
});
