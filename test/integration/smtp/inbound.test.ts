// SMTP in (MX): local recipients by name, address, alias, other local domain and room list
// address; single instance; the reply codes of RCPT, SIZE and relaying; the Received: header.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, startMailKeep, type MailKeep } from './fixture.ts';

let k: MailKeep;
const hasSwaks = await new Promise<boolean>((resolve) => execFile('swaks', ['--version'], (err) => resolve(!err)));
if (!hasSwaks) console.warn('SKIPPED: swaks is not installed (apt-get install swaks); the real-client MX test did not run');
beforeAll(async () => { k = await startMailKeep(); });
afterAll(async () => { await k?.stop(); });

describe('SMTP MX', () => {
  it('delivers to a local user and answers 250 after storing', async () => {
    const info = await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to: ['alice@keep.test'] }, raw: message({ from: 'someone@remote.example', to: 'alice@keep.test', subject: 'hello alice' }) });
    expect(info.response).toMatch(/^250 /);
    const inbox = k.mailbox('alice');
    expect(inbox.length).toBe(1);
    const raw = k.raw(inbox[0]!);
    expect(raw).toMatch(/^Received: from client\.example \(.*\[127\.0\.0\.1\]\)\r\n\tby keep\.test \(Keep\) with ESMTP id \S+\r\n\tfor <alice@keep\.test>;/);
    expect(raw).toContain('Subject: hello alice');
  });

  it('stores a message for several recipients once, placed in each room (alias, other local domain, list address)', async () => {
    const to = ['AL@keep.test', 'bob@keep2.test', 'kitchen@keep.test', 'carol@keep.test'];
    const info = await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to }, raw: message({ from: 'someone@remote.example', to: to.join(', '), subject: 'for many' }) });
    expect(info.accepted).toEqual(to);
    const last = (xs: number[]) => xs.at(-1)!;
    const nums = [last(k.mailbox('alice')), last(k.mailbox('bob')), last(k.room('Kitchen')), last(k.mailbox('carol'))];
    expect(new Set(nums).size).toBe(1);
    expect(k.raw(nums[0]!)).toContain('Subject: for many');
    expect(k.raw(nums[0]!)).not.toMatch(/\tfor </); // no recipient named when there are several
  });

  it('answers RCPT for an unknown local recipient with 550 and keeps the session', async () => {
    const err = await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to: ['nobody@keep.test'] }, raw: message({ from: 'a@remote.example', to: 'nobody@keep.test', subject: 'x' }) }).catch((e: unknown) => e) as { responseCode?: number; response?: string };
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.1\.1 /);
  });

  it('refuses relaying to a remote domain without authentication', async () => {
    const err = await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to: ['victim@elsewhere.example'] }, raw: message({ from: 'a@remote.example', to: 'victim@elsewhere.example', subject: 'relay' }) }).catch((e: unknown) => e) as { responseCode?: number; response?: string };
    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('Relay access denied');
  });

  it('delivers to the accepted recipients when one of several is refused', async () => {
    const before = k.mailbox('bob').length;
    const info = await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to: ['bob@keep.test', 'ghost@keep.test'] }, raw: message({ from: 'a@remote.example', to: 'bob@keep.test', subject: 'partial' }) });
    expect(info.accepted).toEqual(['bob@keep.test']);
    expect(info.rejected).toEqual(['ghost@keep.test']);
    expect(k.mailbox('bob').length).toBe(before + 1);
  });

  it('answers an oversized message with 552 and stores nothing', async () => {
    const before = k.mailbox('carol').length;
    const big = 'x'.repeat(76) + '\r\n';
    const err = await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to: ['carol@keep.test'] }, raw: message({ from: 'a@remote.example', to: 'carol@keep.test', subject: 'big', body: big.repeat(1200) }) }).catch((e: unknown) => e) as { responseCode?: number };
    expect(err.responseCode).toBe(552);
    expect(k.mailbox('carol').length).toBe(before);
  });

  it('advertises SIZE, 8BITMIME, PIPELINING, SMTPUTF8 and STARTTLS and accepts UTF-8 mail over TLS', async () => {
    const t = k.mx();
    const raw = message({ from: 'jörg@remote.example', to: 'carol@keep.test', subject: 'grüße', body: 'Schöne Grüße\r\n' });
    const nodemailer = await import('nodemailer');
    const tls = nodemailer.default.createTransport({ host: '127.0.0.1', port: k.keep.ports.smtp, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, name: 'client.example' });
    try {
      const info = await tls.sendMail({ envelope: { from: 'jörg@remote.example', to: ['carol@keep.test'] }, raw: Buffer.from(raw, 'utf8') });
      expect(info.response).toMatch(/^250 /);
      expect(k.raw(k.mailbox('carol').at(-1)!)).toContain('with ESMTPS');
      expect(k.raw(k.mailbox('carol').at(-1)!)).toContain('Schöne Grüße');
    } finally {
      tls.close();
      t.close();
    }
  });

  it.skipIf(!hasSwaks)('takes a message from swaks (a real client) over STARTTLS', async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile('swaks', ['--server', `127.0.0.1:${k.keep.ports.smtp}`, '--tls', '--from', 'swaks@remote.example', '--to', 'bob@keep.test', '--header', 'Subject: sent by swaks', '--body', 'Hello from swaks.', '--timeout', '20'],
        (err, stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, out: `${stdout}${stderr}` }));
    });
    expect(r.out).toMatch(/<~ {2}250 /);
    expect(r.code).toBe(0);
    const raw = k.raw(k.mailbox('bob').at(-1)!);
    expect(raw).toContain('Subject: sent by swaks');
    expect(raw).toContain('with ESMTPS');
  });
});
