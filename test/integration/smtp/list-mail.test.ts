// List mail (issue 20): a message to a room's list address is posted in the room and sent to the
// room's Internet subscribers with List-* header fields (RFC 2369, RFC 2919), a VERP envelope
// sender per subscriber, and a DKIM signature of ours; bounces to the VERP address count
// against the subscriber (dropped at the limit); mail to <list>-unsubscribe@ unsubscribes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { systemActor } from '../../../src/core/index.ts';
import { LIST_BOUNCE_LIMIT } from '../../../src/core/delivery/list.ts';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { startSink, type Sink } from './sink.ts';

let k: MailKeep;
let sink: Sink;
const system = systemActor('test');
beforeAll(async () => {
  sink = await startSink();
  k = await startMailKeep({ env: { KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${sink.port}` } });
}, 120_000);
afterAll(async () => {
  await k?.stop();
  await sink?.close();
}, 60_000);

const kitchen = () => k.core.rooms.findByName(system, 'Kitchen')!.roomnum;

async function toMx(raw: string, env: { from: string; to: string }): Promise<void> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: k.keep.ports.smtp, secure: false, ignoreTLS: true, name: 'client.example' });
  try {
    await t.sendMail({ envelope: { from: env.from, to: [env.to] }, raw });
  } finally {
    t.close();
  }
}

describe('list mail', () => {
  it('subscribes from the command line (audited)', async () => {
    const r = await k.keep.cli(['list', 'subscribe', 'Kitchen', 'sub1@remote.test']);
    expect(r.code).toBe(0);
    await k.core.delivery.lists.subscribe(system, kitchen(), 'sub2@remote.test');
    await k.core.delivery.lists.subscribe(system, kitchen(), 'poster@remote.test');
    k.refresh();
    expect(k.core.delivery.lists.subscribers(system, kitchen())).toEqual(['sub1@remote.test', 'sub2@remote.test', 'poster@remote.test']);
    expect((await k.keep.cli(['audit'])).stdout).toContain('list.subscribe');
  }, 90_000);

  it('posts list mail in the room and sends each other subscriber a copy with List-* headers and a VERP sender', async () => {
    const before = k.room('Kitchen').length;
    await toMx(message({ from: 'poster@remote.test', to: 'kitchen@keep.test', subject: 'soup tonight' }), { from: 'poster@remote.test', to: 'kitchen@keep.test' });
    await k.until(() => k.room('Kitchen').length > before, 30_000);
    const copies = await k.until(() => {
      const got = sink.received.filter((m) => m.raw.includes('Subject: soup tonight'));
      return got.length === 2 && got;
    }, 60_000);
    expect(copies.map((c) => c.to[0]).sort()).toEqual(['sub1@remote.test', 'sub2@remote.test']);
    for (const c of copies) {
      expect(c.from).toBe(`kitchen-bounces+${c.to[0]!.replace('@', '=')}@keep.test`);
      expect(c.raw).toContain('List-Id: "Kitchen" <kitchen.keep.test>');
      expect(c.raw).toContain('List-Post: <mailto:kitchen@keep.test>');
      expect(c.raw).toContain('List-Unsubscribe: <mailto:kitchen-unsubscribe@keep.test>');
      expect(c.raw).toMatch(/^DKIM-Signature: [^]*d=keep\.test;/m);
    }
    // the poster is a subscriber too, but gets no copy of their own post
    expect(sink.received.some((m) => m.raw.includes('Subject: soup tonight') && m.to.includes('poster@remote.test'))).toBe(false);
  }, 120_000);

  it(`drops a subscriber whose copies bounce ${LIST_BOUNCE_LIMIT} times; the bounces go to the Aide room`, async () => {
    const aide = () => k.core.messages.list(system, k.core.rooms.findByName(system, 'Aide')!.roomnum).length;
    k.refresh();
    const before = aide();
    for (let i = 0; i < LIST_BOUNCE_LIMIT; i++) {
      await toMx(message({ from: 'MAILER-DAEMON@remote.test', to: 'kitchen-bounces+sub2=remote.test@keep.test', subject: `Undelivered Mail ${i}` }), { from: '', to: 'kitchen-bounces+sub2=remote.test@keep.test' });
    }
    await k.until(() => !k.core.delivery.lists.subscribers(system, kitchen()).includes('sub2@remote.test'), 30_000);
    expect(aide()).toBe(before + LIST_BOUNCE_LIMIT);
  }, 90_000);

  it('unsubscribes the sender of a message to <list>-unsubscribe@', async () => {
    await toMx(message({ from: 'sub1@remote.test', to: 'kitchen-unsubscribe@keep.test', subject: 'unsubscribe' }), { from: 'sub1@remote.test', to: 'kitchen-unsubscribe@keep.test' });
    await k.until(() => !k.core.delivery.lists.subscribers(system, kitchen()).includes('sub1@remote.test'), 30_000);
    expect(k.core.delivery.lists.subscribers(system, kitchen())).toEqual(['poster@remote.test']);
  }, 60_000);
});
