// Sent copies done once (issue 20): a client that sends through submission and saves its own
// copy by IMAP APPEND ends up with one copy in Sent, not two; where the server saved one (native
// mail always does), the client's APPEND with the same Message-ID replaces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { message, startMailKeep, type MailKeep } from './fixture.ts';

let k: MailKeep;
const clients: ImapFlow[] = [];
beforeAll(async () => {
  k = await startMailKeep();
}, 120_000);
afterAll(async () => {
  for (const c of clients) await c.logout().catch(() => c.close());
  await k?.stop();
}, 60_000);

async function imap(user: string): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port: k.keep.ports.imap, secure: false, doSTARTTLS: false, auth: { user, pass: `${user}-pw` }, logger: false, disableAutoIdle: true });
  await c.connect();
  clients.push(c);
  return c;
}

async function sentSubjects(c: ImapFlow): Promise<string[]> {
  const lock = await c.getMailboxLock('Sent');
  try {
    const out: string[] = [];
    if (c.mailbox && typeof c.mailbox === 'object' && c.mailbox.exists === 0) return out;
    for await (const m of c.fetch('1:*', { envelope: true })) out.push(m.envelope?.subject ?? '');
    return out;
  } finally {
    lock.release();
  }
}

describe('Sent copies', () => {
  it('keeps one copy when a client sends through submission and appends to Sent', async () => {
    const raw = message({ from: 'alice@keep.test', to: 'bob@keep.test', subject: 'one copy please' });
    await k.submission('alice', 'alice-pw').sendMail({ envelope: { from: 'alice@keep.test', to: ['bob@keep.test'] }, raw });
    const c = await imap('alice');
    await c.append('Sent', raw, ['\\Seen']);
    const subjects = await sentSubjects(c);
    expect(subjects.filter((s) => s === 'one copy please')).toHaveLength(1);
  }, 60_000);

  it('replaces the server\'s Sent copy when the client appends the same Message-ID', async () => {
    const alice = k.core.users.get('alice');
    const sent = await k.core.messages.mail({ kind: 'user', usernum: alice.usernum, name: alice.name, level: alice.level, origin: 'test' }, { to: ['bob'], text: 'Saved by the server.', subject: 'server saved' });
    const serverCopy = k.raw(sent.msgnum);
    expect(k.mailbox('alice', 'sent')).toContain(sent.msgnum);
    const c = await imap('alice');
    const appended = await c.append('Sent', serverCopy, ['\\Seen']);
    // a new placement in Sent (UIDs are per folder, so only its existence is compared)
    expect(appended && appended.uid).toBeGreaterThan(0);
    await k.until(() => !k.mailbox('alice', 'sent').includes(sent.msgnum));
    expect((await sentSubjects(c)).filter((s) => s === 'server saved')).toHaveLength(1);
    // the recipient's copy is untouched
    expect(k.mailbox('bob')).toContain(sent.msgnum);
  }, 60_000);

  it('leaves other folders alone: the same Message-ID appended to Drafts is a second message', async () => {
    const raw = message({ from: 'alice@keep.test', to: 'carol@keep.test', subject: 'draft twice' });
    const c = await imap('alice');
    await c.append('Drafts', raw);
    await c.append('Drafts', raw);
    const lock = await c.getMailboxLock('Drafts');
    try {
      expect(c.mailbox && typeof c.mailbox === 'object' ? c.mailbox.exists : 0).toBe(2);
    } finally {
      lock.release();
    }
  }, 60_000);
});
