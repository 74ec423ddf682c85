// Outbound queue: a local smtp-server sink stands in for the remote MX (KEEP_SMTP_ROUTES).
// 4xx is retried with backoff until accepted or expired; 5xx or expiry bounces a DSN (RFC 3464)
// into the sender's Mail room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { startSink, type Sink } from './sink.ts';

let k: MailKeep;
let sink: Sink;
const system = systemActor('test');
beforeAll(async () => {
  sink = await startSink();
  k = await startMailKeep({ env: { KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${sink.port}`, KEEP_QUEUE_RETRY_MIN: '1', KEEP_QUEUE_LIFETIME: '2' } });
});
afterAll(async () => {
  await k?.stop();
  await sink?.close();
});

const submit = (from: string, to: string, subject: string) =>
  k.submission(from.split('@')[0]!, `${from.split('@')[0]}-pw`).sendMail({ envelope: { from, to: [to] }, raw: message({ from, to, subject }) });

describe('SMTP outbound queue', () => {
  it('retries a recipient deferred with 451 and delivers it', async () => {
    // one deferral only: with the 2 s lifetime of this file a second could expire on a slow machine
    await submit('alice@keep.test', 'temp1-dan@remote.test', 'greylisted');
    const got = await k.until(() => sink.received.find((m) => m.to.includes('temp1-dan@remote.test')), 15_000);
    expect(got.raw).toContain('Subject: greylisted');
    expect(sink.attempts.get('temp1-dan@remote.test')).toBe(2);
    await k.until(() => k.core.delivery.queue.list(system).length === 0);
  });

  it('bounces a recipient refused with 550: a DSN lands in the sender\'s Mail room', async () => {
    const before = k.mailbox('bob').length;
    await submit('bob@keep.test', 'perm-nobody@remote.test', 'will bounce');
    const bounce = await k.until(() => k.mailbox('bob').length > before && k.mailbox('bob').at(-1));
    const raw = k.raw(bounce);
    expect(raw).toMatch(/Content-Type: multipart\/report;\s+report-type=delivery-status/i);
    expect(raw).toContain('Final-Recipient: rfc822; perm-nobody@remote.test');
    expect(raw).toContain('Action: failed');
    expect(raw).toContain('Status: 5.1.1');
    expect(raw).toContain('No such user here');
    expect(raw).toMatch(/Content-Type: text\/rfc822-headers/i);
    expect(raw).toContain('Subject: will bounce');
    // the bounce is committed before the entry goes (a crash in between repeats it, never loses it)
    await k.until(() => k.core.delivery.queue.list(system).length === 0);
    expect(sink.received.some((m) => m.to.includes('perm-nobody@remote.test'))).toBe(false);
  });

  it('bounces a recipient still deferred when its queue lifetime is over (4.4.7)', async () => {
    const before = k.mailbox('carol').length;
    await submit('carol@keep.test', 'temp99-late@remote.test', 'never gets through');
    const bounce = await k.until(() => k.mailbox('carol').length > before && k.mailbox('carol').at(-1), 15_000);
    const raw = k.raw(bounce);
    expect(raw).toContain('Final-Recipient: rfc822; temp99-late@remote.test');
    expect(raw).toContain('Status: 4.4.7');
    expect(raw).toContain('greylisted');
    expect(sink.attempts.get('temp99-late@remote.test')).toBeGreaterThanOrEqual(2);
  });

  it('sends mail queued by another part of Keep (core.messages.mail, as native ENT0 does)', async () => {
    const alice = k.core.users.get('alice');
    await k.core.messages.mail({ kind: 'user', usernum: alice.usernum, name: alice.name, level: alice.level, origin: 'test' }, { to: ['pen.pal@remote.test'], text: 'Hello from the BBS.', subject: 'native mail' });
    const got = await k.until(() => sink.received.find((m) => m.to.includes('pen.pal@remote.test')));
    expect(got.from).toBe('alice@keep.test');
    expect(got.raw).toContain('Subject: native mail');
  });

  it('keeps the message while queued and lets it go once delivered (store stays consistent)', async () => {
    const r = await k.keep.cli(['check']);
    expect(r.stdout).toContain('store is consistent');
  });
});
