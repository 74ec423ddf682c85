// SMTP submission: AUTH PLAIN/LOGIN against Keep users, the envelope sender must be the user's,
// local recipients at once (no Sent copy: the client saves its own), remote recipients queued
// and sent to the route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { startSink, type Sink } from './sink.ts';

let k: MailKeep;
let sink: Sink;
beforeAll(async () => {
  sink = await startSink();
  k = await startMailKeep({ env: { KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${sink.port}`, KEEP_QUEUE_RETRY_MIN: '1' } });
});
afterAll(async () => {
  await k?.stop();
  await sink?.close();
});

type SmtpErr = { responseCode?: number; response?: string };

describe('SMTP submission', () => {
  it('delivers locally at once, and saves no copy in the sender\'s Sent room (the client does) (AUTH PLAIN)', async () => {
    const info = await k.submission('alice', 'alice-pw', { authMethod: 'PLAIN' }).sendMail({ envelope: { from: 'alice@keep.test', to: ['bob@keep.test'] }, raw: message({ from: 'alice@keep.test', to: 'bob@keep.test', subject: 'from alice' }) });
    expect(info.response).toMatch(/^250 /);
    const inBob = k.mailbox('bob').at(-1)!;
    expect(k.mailbox('alice', 'sent')).not.toContain(inBob);
    expect(k.raw(inBob)).toMatch(/with ESMTPSA id/) // nodemailer upgrades with STARTTLS;
  });

  it('accepts AUTH LOGIN and an alias as the envelope sender', async () => {
    const info = await k.submission('alice', 'alice-pw', { authMethod: 'LOGIN' }).sendMail({ envelope: { from: 'al@keep.test', to: ['carol@keep.test'] }, raw: message({ from: 'al@keep.test', to: 'carol@keep.test', subject: 'via login' }) });
    expect(info.response).toMatch(/^250 /);
  });

  it('answers a wrong password with 535', async () => {
    const err = await k.submission('bob', 'wrong').sendMail({ envelope: { from: 'bob@keep.test', to: ['carol@keep.test'] }, raw: message({ from: 'bob@keep.test', to: 'carol@keep.test', subject: 'x' }) }).catch((e: unknown) => e) as SmtpErr;
    expect(err.responseCode).toBe(535);
  });

  it('refuses MAIL without AUTH with 530', async () => {
    const t = (await import('nodemailer')).default.createTransport({ host: '127.0.0.1', port: k.keep.ports.submission, secure: false, ignoreTLS: true });
    try {
      const err = await t.sendMail({ envelope: { from: 'bob@keep.test', to: ['carol@keep.test'] }, raw: message({ from: 'bob@keep.test', to: 'carol@keep.test', subject: 'x' }) }).catch((e: unknown) => e) as SmtpErr;
      expect(err.responseCode).toBe(530);
    } finally {
      t.close();
    }
  });

  it('refuses an envelope sender that is not the user\'s with 550', async () => {
    const err = await k.submission('bob', 'bob-pw').sendMail({ envelope: { from: 'alice@keep.test', to: ['carol@keep.test'] }, raw: message({ from: 'alice@keep.test', to: 'carol@keep.test', subject: 'forged' }) }).catch((e: unknown) => e) as SmtpErr;
    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('not one of your addresses');
  });

  it('queues a remote recipient and delivers it to the remote server, with Date and Message-ID added', async () => {
    const raw = 'From: carol@keep.test\r\nTo: friend@remote.test, bob@keep.test\r\nSubject: out and in\r\n\r\nHello.\r\n';
    const info = await k.submission('carol', 'carol-pw').sendMail({ envelope: { from: 'carol@keep.test', to: ['friend@remote.test', 'bob@keep.test'] }, raw });
    expect(info.accepted).toEqual(['friend@remote.test', 'bob@keep.test']);
    const got = await k.until(() => sink.received.find((m) => m.to.includes('friend@remote.test')));
    expect(got.from).toBe('carol@keep.test');
    expect(got.raw).toContain('Subject: out and in');
    expect(got.raw).toMatch(/^Message-ID: <[0-9a-z]+\.[0-9a-f]{12}@keep\.test>\r$/m);
    expect(got.raw).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} [\d:]{8} \+0000\r$/m);
    await k.until(() => k.core.delivery.queue.list(systemActor('test')).length === 0);
  });
});
