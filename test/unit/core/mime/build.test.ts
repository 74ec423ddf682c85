// The message builder: fills in Date, Message-ID (one format) and Path, applies the author rule
// (the account is the author; display names are never the identity), and keeps one header index.
import { describe, expect, it } from 'vitest';
import { buildMessage, ForeignFromError, newMessageId, type Account, type AuthorRule } from '../../../../src/core/mime/build.ts';

const opts = { domain: 'keep.test', now: Date.UTC(2026, 0, 2, 3, 4, 5) };
const carol: Account = { name: 'carol', address: 'carol@keep.test', owns: (a) => ['carol@keep.test', 'c.smith@keep.test'].includes(a.toLowerCase()) };
const refuse: AuthorRule = { kind: 'account', account: carol, onForeignFrom: 'refuse' };
const raw = async (s: string, author: AuthorRule = { kind: 'external' }, newsHost?: string) =>
  (await buildMessage({ kind: 'raw', raw: Buffer.from(s), author, ...(newsHost ? { newsHost } : {}) }, opts));
const ID = /<[0-9a-z]+\.[0-9a-f]{12}@keep\.test>/;

describe('message builder', () => {
  it('makes Message-IDs in one format', () => {
    expect(newMessageId('keep.test', opts.now)).toMatch(new RegExp(`^${ID.source}$`));
  });

  it('adds Date and Message-ID at the end of the header', async () => {
    const b = await raw('From: a@x.y\r\nSubject: x\r\n\r\nbody\r\n');
    expect(b.raw.toString()).toMatch(new RegExp(`^From: a@x\\.y\\r\\nSubject: x\\r\\nDate: Fri, 02 Jan 2026 03:04:05 \\+0000\\r\\nMessage-ID: ${ID.source}\\r\\n\\r\\nbody\\r\\n$`));
    expect(b.parsed.messageId).toMatch(ID);
    expect(b.parsed.headers.map(([n]) => n)).toEqual(['from', 'subject', 'date', 'message-id']);
  });

  it('leaves a complete header alone (any case) and does not look into the body', async () => {
    const s = 'DATE: Thu, 1 Jan 2026 00:00:00 +0000\r\nmessage-id: <a@b>\r\n\r\nMessage-ID: <in-body@x>\r\n';
    expect((await raw(s)).raw.toString()).toBe(s);
  });

  it('stores an APPEND into one\'s own mailbox as given, without adding Date or Message-ID', async () => {
    const s = 'Subject: draft\r\n\r\nbody\r\n';
    const b = await raw(s, { kind: 'free' });
    expect(b.raw.toString()).toBe(s);
    expect(b.parsed.messageId).toBeUndefined();
  });

  it('completes a bare-LF header and one without a blank line', async () => {
    expect((await raw('Subject: x\n\nbody\n')).raw.toString()).toMatch(/^Subject: x\nDate: .*\r\nMessage-ID: .*\r\n\nbody\n$/);
    expect((await raw('Subject: x')).raw.toString()).toMatch(/^Subject: x\r\nDate: .*\r\nMessage-ID: .*\r\n\r\n$/);
  });

  it('adds a Path to news that has none, at the top', async () => {
    expect((await raw('Subject: x\r\n\r\nb\r\n', { kind: 'external' }, 'keep.test')).raw.toString()).toMatch(/^Path: keep\.test!not-for-mail\r\nSubject: x\r\n/);
    expect((await raw('Path: a!b\r\nSubject: x\r\n\r\nb\r\n', { kind: 'external' }, 'keep.test')).raw.toString()).not.toContain('not-for-mail');
  });

  it('rewrites a From of the account to the account name: display names are never the identity', async () => {
    const b = await raw('From: The Sysop <C.Smith@keep.test>\r\nSubject: x\r\n\r\nb\r\n', refuse);
    expect(b.raw.toString()).toMatch(/^Subject: x\r\nFrom: carol <C\.Smith@keep\.test>\r\nDate: .*\r\nMessage-ID: .*\r\n\r\n/);
    expect(b).toMatchObject({ authorName: 'carol', authorAddress: 'C.Smith@keep.test', isByAccount: true });
    expect(b.given).toContainEqual(['from', 'The Sysop <C.Smith@keep.test>']);
  });

  it('gives a message with no From the account as its From', async () => {
    const b = await raw('Subject: x\r\n\r\nb\r\n', refuse);
    expect(b.parsed.envelope.from).toEqual([{ name: 'carol', address: 'carol@keep.test' }]);
  });

  it.each([
    ['another address', 'From: admin <admin@keep.test>'],
    ['two addresses', 'From: carol@keep.test, admin@keep.test'],
    ['two From fields', 'From: carol@keep.test\r\nFrom: admin@keep.test'],
  ])('refuses a From of %s', async (_what, from) => {
    await expect(raw(`${from}\r\nSubject: x\r\n\r\nb\r\n`, refuse)).rejects.toBeInstanceOf(ForeignFromError);
  });

  it('keeps a foreign From with a Sender naming the account where refusing is not possible', async () => {
    const b = await raw('From: admin <admin@keep.test>\r\nSender: admin@keep.test\r\nSubject: x\r\n\r\nb\r\n', { kind: 'account', account: carol, onForeignFrom: 'stamp' });
    expect(b.raw.toString()).toMatch(/^From: admin <admin@keep\.test>\r\nSubject: x\r\n.*Sender: carol <carol@keep\.test>\r\n/s);
    expect(b.authorName).toBe('carol');
  });

  it('keeps the From of mail from outside and takes its author from it', async () => {
    const b = await raw('From: =?UTF-8?Q?Zo=C3=AB?= <admin@keep.test>\r\n\r\nb\r\n');
    expect(b).toMatchObject({ authorName: 'Zoë', authorAddress: 'admin@keep.test', isByAccount: false });
  });

  it('builds a text post whose header index says what its bytes say', async () => {
    const b = await buildMessage({ kind: 'text', account: { ...carol, name: 'Zoë' }, text: 'hi\n', subject: 'Grüße', references: ['a@b'] }, opts);
    expect(b.raw.toString()).toContain('From: =?UTF-8?Q?Zo=C3=AB?= <carol@keep.test>\r\n');
    expect(b.parsed.headers).toContainEqual(['from', '=?UTF-8?Q?Zo=C3=AB?= <carol@keep.test>']);
    expect(b.parsed.headers).toContainEqual(['in-reply-to', '<a@b>']);
    expect(b.parsed).toMatchObject({ subject: 'Grüße', references: ['<a@b>'], inReplyTo: '<a@b>' });
  });

  it('shows an aide masquerade as written with a Sender naming the account', async () => {
    const b = await buildMessage({ kind: 'text', account: carol, displayName: 'The Sysop', text: '', subject: '', references: [] }, opts);
    expect(b.raw.toString()).toContain('From: The Sysop <carol@keep.test>\r\nSender: carol <carol@keep.test>\r\n');
    expect(b.authorName).toBe('carol');
  });
});
