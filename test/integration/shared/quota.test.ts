// KEEP_QUOTA_MB: one quota over each user's own mailboxes, enforced in core for every way in and
// answered in each protocol's words: IMAP APPEND NO [OVERQUOTA] and QUOTA (RFC 9208) reporting,
// SMTP 452 4.2.2 at RCPT for a full mailbox and 552 5.2.2 after DATA for a message that would
// overflow it, native ENT0 511 before the text. Expunging frees the space at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { coreOn } from '../../helpers/core-fixture.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { Raw } from '../imap/fixture.ts';
import { RawSmtp } from '../smtp/raw-smtp.ts';

const KIB = 1024;
let keep: Keep;
const open: { close(): void }[] = [];
const keepOpen = <T extends { close(): void }>(c: T): T => { open.push(c); return c; };

/** A message of about `kib` KiB. */
const sized = (subject: string, kib: number) => `From: someone@remote.example\r\nSubject: ${subject}\r\n\r\n${`${'q'.repeat(510)}\r\n`.repeat(2 * kib)}`;

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_QUOTA_MB: '1' } });
  const { core, close } = coreOn(keep.dataDir);
  try {
    const system = systemActor('test');
    for (const name of ['alice', 'bob', 'carol', 'dave']) await core.users.create(system, { name, password: `${name}-pw` });
  } finally {
    await close();
  }
  // alice fills her mailboxes up to the quota: two folders, the second message takes the rest
  const r = keepOpen(await Raw.open(keep.ports.imap));
  await r.cmd('l', 'LOGIN alice alice-pw');
  await r.cmd('c', 'CREATE Archive');
  const first = sized('first', 600);
  expect(await r.cmd('a', `APPEND INBOX {${first.length}+}\r\n${first}`)).toMatch(/a OK/);
  const rest = 'Subject: rest\r\n\r\n' + 'r'.repeat(KIB * KIB - first.length - 17);
  expect(await r.cmd('b', `APPEND Archive {${rest.length}+}\r\n${rest}`)).toMatch(/b OK/);
  r.close();
}, 120_000);
afterAll(async () => {
  for (const c of open.splice(0)) c.close();
  await keep?.stop();
});

async function imap(user: string): Promise<Raw> {
  const r = keepOpen(await Raw.open(keep.ports.imap));
  await r.cmd('l', `LOGIN ${user} ${user}-pw`);
  return r;
}

describe('IMAP QUOTA', () => {
  it('advertises QUOTA with the STORAGE resource', async () => {
    const r = await imap('bob');
    expect(await r.cmd('c', 'CAPABILITY')).toMatch(/ QUOTA QUOTA=RES-STORAGE[ \r]/);
  });

  it('reports the root "" of a personal mailbox with its usage in KiB, and no root for a shared room', async () => {
    const r = await imap('bob');
    expect(await r.cmd('q', 'GETQUOTAROOT INBOX')).toContain('* QUOTAROOT INBOX ""\r\n* QUOTA "" (STORAGE 0 1024)\r\n');
    expect(await r.cmd('s', 'GETQUOTAROOT Public/Lobby')).toMatch(/\* QUOTAROOT Public\/Lobby\r\ns OK/);
    expect(await r.cmd('t', 'GETQUOTA "other"')).toMatch(/t NO \[NONEXISTENT\]/);
    expect(await r.cmd('u', 'SETQUOTA "" (STORAGE 99999)')).toMatch(/u NO \[NOPERM\]/);
    const alice = await imap('alice');
    expect(await alice.cmd('g', 'GETQUOTA ""')).toContain('* QUOTA "" (STORAGE 1024 1024)');
  });

  it('refuses an APPEND past the quota with NO [OVERQUOTA], stores nothing, and takes it after an EXPUNGE freed the space', async () => {
    const r = await imap('bob');
    const big = sized('big', 600);
    expect(await r.cmd('a', `APPEND INBOX {${big.length}+}\r\n${big}`)).toMatch(/a OK/);
    expect(await r.cmd('b', `APPEND INBOX {${big.length}+}\r\n${big}`)).toMatch(/b NO \[OVERQUOTA\]/);
    expect(await r.cmd('s', 'STATUS INBOX (MESSAGES)')).toContain('MESSAGES 1');
    await r.cmd('x', 'SELECT INBOX');
    await r.cmd('y', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await r.cmd('d', 'STATUS INBOX (DELETED DELETED-STORAGE)')).toContain(`(DELETED 1 DELETED-STORAGE ${Math.ceil(big.length / KIB)})`);
    await r.cmd('e', 'EXPUNGE');
    expect(await r.cmd('q', 'GETQUOTA ""')).toContain('* QUOTA "" (STORAGE 0 1024)');
    expect(await r.cmd('c', `APPEND INBOX {${big.length}+}\r\n${big}`)).toMatch(/c OK/);
  });

  it('refuses a COPY past the quota with NO [OVERQUOTA] and still MOVEs between the own mailboxes', async () => {
    const r = await imap('alice');
    await r.cmd('s', 'SELECT INBOX');
    expect(await r.cmd('c', 'COPY 1 Archive')).toMatch(/c NO \[OVERQUOTA\]/);
    expect(await r.cmd('m', 'MOVE 1 Archive')).toMatch(/m OK/);
    expect(await r.cmd('g', 'GETQUOTA ""')).toContain('* QUOTA "" (STORAGE 1024 1024)');
  });
});

describe('SMTP and the quota', () => {
  const mx = async () => {
    const c = keepOpen(await RawSmtp.connect(keep.ports.smtp));
    await c.cmd('EHLO client.test');
    return c;
  };

  it('refuses RCPT for a full mailbox with 452 4.2.2 and takes the other recipients', async () => {
    const c = await mx();
    expect((await c.cmd('MAIL FROM:<someone@remote.example>')).code).toBe(250);
    const full = await c.cmd('RCPT TO:<alice@keep.test>');
    expect(full.lines.join('\n')).toMatch(/^452 4\.2\.2 /);
    expect((await c.cmd('RCPT TO:<carol@keep.test>')).code).toBe(250);
  });

  it('refuses after DATA with 552 5.2.2 a message that would take a mailbox past the quota', async () => {
    const c = await mx();
    await c.cmd('MAIL FROM:<someone@remote.example>');
    expect((await c.cmd('RCPT TO:<dave@keep.test>')).code).toBe(250);
    expect((await c.cmd('DATA')).code).toBe(354);
    c.write(`${sized('too much', 1100)}\r\n.\r\n`);
    expect((await c.reply()).lines.join('\n')).toMatch(/^552 5\.2\.2 .*full/);
    const r = await imap('dave');
    expect(await r.cmd('s', 'STATUS INBOX (MESSAGES)')).toContain('MESSAGES 0');
  });

  it('delivers mail for several recipients when one mailbox overflows with it, and refuses that one at RCPT after', async () => {
    const c = await mx();
    await c.cmd('MAIL FROM:<someone@remote.example>');
    expect((await c.cmd('RCPT TO:<bob@keep.test>')).code).toBe(250);
    expect((await c.cmd('RCPT TO:<carol@keep.test>')).code).toBe(250);
    expect((await c.cmd('DATA')).code).toBe(354);
    c.write(`${sized('for two', 600)}\r\n.\r\n`);
    expect((await c.reply()).code).toBe(250);
    for (const user of ['bob', 'carol']) expect(await (await imap(user)).cmd('s', 'STATUS INBOX (MESSAGES)')).toMatch(/MESSAGES [12]\)/);
    await c.cmd('MAIL FROM:<someone@remote.example>');
    expect((await c.cmd('RCPT TO:<bob@keep.test>')).lines.join('\n')).toMatch(/^452 4\.2\.2 /);
  });
});

describe('native mail and the quota', () => {
  it('refuses ENT0 to a full mailbox, and from a user whose own mailboxes are full, with 511 before the text', async () => {
    const carol = keepOpen(await NativeClient.connect(keep.ports.native));
    await carol.login('carol', 'carol-pw');
    const toAlice = await carol.cmd('ENT0 1|alice|0|1|hello|||||||||');
    expect(toAlice.raw).toMatch(/^511 .*alice.*full/);
    const alice = keepOpen(await NativeClient.connect(keep.ports.native));
    await alice.login('alice', 'alice-pw');
    expect((await alice.cmd('ENT0 1|carol|0|1|hello|||||||||')).raw).toMatch(/^511 .*full/);
    expect((await carol.cmd('ENT0 1|dave|0|1|fine|||||||||')).code).toBe(400);
    carol.sendListing(['a short note']);
    expect((await carol.cmd('NOOP')).code).toBe(200);
  });
});
