// The outbound queue finishing its job (issue 20): one SMTP transaction per message and
// recipient domain, STARTTLS whenever the remote offers it (the outcome logged), and one delay
// notice (RFC 3464 Action: delayed) after KEEP_QUEUE_DELAY_NOTICE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { startSink, type Sink } from './sink.ts';

let k: MailKeep;
let plain: Sink;
let tls: Sink;
const system = systemActor('test');
beforeAll(async () => {
  plain = await startSink();
  tls = await startSink(0, { tls: true });
  k = await startMailKeep({
    env: {
      KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${plain.port},other.test=127.0.0.1:${plain.port},tls.test=127.0.0.1:${tls.port}`,
      KEEP_QUEUE_RETRY_MIN: '1', KEEP_QUEUE_DELAY_NOTICE: '2',
    },
  });
}, 120_000);
afterAll(async () => {
  await k?.stop();
  await plain?.close();
  await tls?.close();
}, 60_000);

const submit = (from: string, to: string[], subject: string) =>
  k.submission(from.split('@')[0]!, `${from.split('@')[0]}-pw`).sendMail({ envelope: { from, to }, raw: message({ from, to: to.join(', '), subject }) });

describe('SMTP outbound queue: transactions, TLS and delay notices', () => {
  it('sends one transaction for three recipients of one domain, and another for the other domain', async () => {
    await submit('alice@keep.test', ['a@remote.test', 'b@remote.test', 'c@remote.test', 'd@other.test'], 'grouped');
    await k.until(() => plain.received.filter((m) => m.raw.includes('Subject: grouped')).length === 2, 60_000);
    const got = plain.received.filter((m) => m.raw.includes('Subject: grouped'));
    expect(got.map((m) => [...m.to].sort())).toEqual(expect.arrayContaining([['a@remote.test', 'b@remote.test', 'c@remote.test'], ['d@other.test']]));
    await k.until(() => k.core.delivery.queue.list(system).length === 0, 30_000);
  }, 90_000);

  it('delivers the accepted recipients of a transaction and retries only the deferred one', async () => {
    await submit('bob@keep.test', ['ok1@remote.test', 'temp1-late@remote.test'], 'partly deferred');
    const first = await k.until(() => plain.received.find((m) => m.raw.includes('Subject: partly deferred')), 60_000);
    expect(first.to).toEqual(['ok1@remote.test']);
    const second = await k.until(() => plain.received.find((m) => m.raw.includes('Subject: partly deferred') && m.to.includes('temp1-late@remote.test')), 60_000);
    expect(second.to).toEqual(['temp1-late@remote.test']);
    expect(plain.received.filter((m) => m.to.includes('ok1@remote.test'))).toHaveLength(1);
  }, 90_000);

  it('uses STARTTLS when the remote offers it and logs the outcome with the remote\'s reply', async () => {
    await submit('carol@keep.test', ['secure@tls.test'], 'over tls');
    const got = await k.until(() => tls.received.find((m) => m.to.includes('secure@tls.test')), 60_000);
    expect(got.isTls).toBe(true);
    const line = await k.keep.waitForLog((l) => l.msg === 'delivered' && l.rcpt === 'secure@tls.test', 30_000);
    expect(line).toMatchObject({ tls: true, reply: expect.stringMatching(/^250 /) });
    const plainLine = await k.keep.waitForLog((l) => l.msg === 'delivered' && l.rcpt === 'a@remote.test', 30_000);
    expect(plainLine).toMatchObject({ tls: false });
  }, 90_000);

  it('sends the sender one delay notice (Action: delayed) once mail waits longer than KEEP_QUEUE_DELAY_NOTICE', async () => {
    const before = k.mailbox('carol').length;
    await submit('carol@keep.test', ['temp99-slow@remote.test'], 'slow one');
    const notice = await k.until(() => k.mailbox('carol').length > before && k.mailbox('carol').at(-1), 60_000);
    const raw = k.raw(notice);
    expect(raw).toMatch(/Content-Type: multipart\/report;\s+report-type=delivery-status/i);
    expect(raw).toContain('Action: delayed');
    expect(raw).toContain('Final-Recipient: rfc822; temp99-slow@remote.test');
    expect(raw).toMatch(/Status: 4\.\d+\.\d+/);
    expect(raw).toContain('Subject: slow one');
    // more retries, no second notice
    await k.until(() => (plain.attempts.get('temp99-slow@remote.test') ?? 0) >= 4, 60_000);
    expect(k.mailbox('carol').length).toBe(before + 1);
    const [entry] = k.core.delivery.queue.list(system).filter((e) => e.recipient === 'temp99-slow@remote.test');
    expect(entry).toMatchObject({ delayNotified: true, lastTls: false });
    await k.keep.cli(['queue', 'delete', String(entry!.msgnum)]);
  }, 120_000);
});
