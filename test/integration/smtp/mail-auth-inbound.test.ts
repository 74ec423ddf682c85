// Inbound checks on the MX (issue 20): SPF, DKIM, DMARC and ARC through a DNS stub on loopback,
// written into Authentication-Results; DMARC p=reject forgeries refused with 550 5.7.1,
// p=quarantine ones put in Junk, and mail claiming one of Keep's own domains refused unless
// Keep's own key signed it. A sender domain known to publish p=reject gets 451 when its DMARC
// record cannot be looked up.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { sealMessage } from 'mailauth';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { startSink, type Sink } from './sink.ts';
import { startDnsStub, type DnsStub } from '../../helpers/dns-stub.ts';
import { dkimpyMissing, dkimpySign } from '../../helpers/dkimpy.ts';
import { pyspfCheck, pyspfMissing } from '../../helpers/pyspf.ts';

const missing = dkimpyMissing();
if (missing) console.warn(`SKIPPED dkimpy-signed cases: ${missing}`);
const spfMissing = pyspfMissing();
if (spfMissing) console.warn(`SKIPPED the pyspf cross-check: ${spfMissing}`);

const senderKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const senderPem = senderKey.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const senderPublic = senderKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
// a forwarding service that seals what it passes on (ARC, RFC 8617)
const arcKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const arcPublic = arcKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

let k: MailKeep;
let dns: DnsStub;
let sink: Sink;
beforeAll(async () => {
  dns = await startDnsStub({
    TXT: {
      // signs with a published key, sends from 127.0.0.1 (the test client), publishes p=reject
      'sender.test': ['v=spf1 ip4:127.0.0.1 -all'],
      'sel._domainkey.sender.test': [`v=DKIM1; k=rsa; p=${senderPublic}`],
      '_dmarc.sender.test': ['v=DMARC1; p=reject'],
      // sends only from 192.0.2.1, no DMARC
      'badspf.test': ['v=spf1 ip4:192.0.2.1 -all'],
      // forgeries of these come from 127.0.0.1, which their SPF does not allow
      'rejecter.test': ['v=spf1 ip4:192.0.2.1 -all'],
      '_dmarc.rejecter.test': ['v=DMARC1; p=reject'],
      'quarantine.test': ['v=spf1 ip4:192.0.2.1 -all'],
      '_dmarc.quarantine.test': ['v=DMARC1; p=quarantine'],
      'flaky.test': ['v=spf1 ip4:192.0.2.1 -all'],
      '_dmarc.flaky.test': ['v=DMARC1; p=reject'],
      'unknown-policy.test': ['v=spf1 ip4:192.0.2.1 -all'],
      'forwarder.test': ['v=spf1 ip4:127.0.0.1 -all'],
      'arc._domainkey.forwarder.test': [`v=DKIM1; k=rsa; p=${arcPublic}`],
    },
  });
  dns.silent.add('_dmarc.unknown-policy.test');
  sink = await startSink();
  k = await startMailKeep({ env: { KEEP_DNS_SERVERS: dns.server, KEEP_DNS_TIMEOUT: '300', KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${sink.port}` } });
}, 120_000);
afterAll(async () => {
  await k?.stop();
  await sink?.close();
  await dns?.close();
}, 60_000);

/** Send raw bytes to the MX; resolves with the reply, or the refusal's code and text. */
async function toMx(raw: string | Buffer, env: { from: string; to: string }): Promise<{ code: number; response: string }> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: k.keep.ports.smtp, secure: false, ignoreTLS: true, name: 'client.example' });
  try {
    const info = await t.sendMail({ envelope: { from: env.from, to: [env.to] }, raw });
    return { code: 250, response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    return { code: e.responseCode ?? 0, response: e.response ?? e.message };
  } finally {
    t.close();
  }
}

const authResults = (raw: string) => /^Authentication-Results: keep\.test;[^]*?(?=\r\n\S)/m.exec(raw)?.[0] ?? '';

async function newIn(user: string, role: string, before: number): Promise<string> {
  const num = await k.until(() => k.mailbox(user, role).length > before && k.mailbox(user, role).at(-1), 30_000);
  return k.raw(num);
}

describe('MX inbound checks', () => {
  it.skipIf(missing)('passes a message dkimpy signed with a published key: dkim=pass, spf=pass, dmarc=pass', async () => {
    const before = k.mailbox('bob').length;
    const signed = dkimpySign(Buffer.from(message({ from: 'news@sender.test', to: 'bob@keep.test', subject: 'signed' })), { selector: 'sel', domain: 'sender.test', privateKeyPem: senderPem });
    const r = await toMx(signed, { from: 'news@sender.test', to: 'bob@keep.test' });
    expect(r.code).toBe(250);
    const ar = authResults(await newIn('bob', 'inbox', before));
    expect(ar).toMatch(/dkim=pass[^;]*header\.i=@sender\.test/);
    expect(ar).toMatch(/spf=pass/);
    expect(ar).toMatch(/dmarc=pass/);
  }, 60_000);

  it.skipIf(missing)('fails the same message with one changed byte (DMARC still passes by SPF)', async () => {
    const signed = dkimpySign(Buffer.from(message({ from: 'news@sender.test', to: 'bob@keep.test', subject: 'tampered', body: 'Pay 100 EUR.\r\n' })), { selector: 'sel', domain: 'sender.test', privateKeyPem: senderPem });
    // a changed byte in the body: the body hash does not match (mailauth says neutral, with the reason)
    let before = k.mailbox('bob').length;
    expect((await toMx(Buffer.from(signed.toString().replace('Pay 100 EUR.', 'Pay 900 EUR.')), { from: 'news@sender.test', to: 'bob@keep.test' })).code).toBe(250);
    let ar = authResults(await newIn('bob', 'inbox', before));
    expect(ar).toMatch(/dkim=(?:fail|neutral) \(body hash did not verify\)/);
    expect(ar).toMatch(/dmarc=pass/);
    // a changed byte in a signed header field: the signature itself fails
    before = k.mailbox('bob').length;
    expect((await toMx(Buffer.from(signed.toString().replace('Subject: tampered', 'Subject: tampereD')), { from: 'news@sender.test', to: 'bob@keep.test' })).code).toBe(250);
    ar = authResults(await newIn('bob', 'inbox', before));
    expect(ar).toMatch(/dkim=fail/);
    expect(ar).not.toMatch(/dkim=pass/);
  }, 60_000);

  it('records spf=pass for a sender whose SPF names the client, spf=fail for one whose SPF does not', async () => {
    let before = k.mailbox('carol').length;
    expect((await toMx(message({ from: 'x@sender.test', to: 'carol@keep.test', subject: 'spf ok' }), { from: 'x@sender.test', to: 'carol@keep.test' })).code).toBe(250);
    expect(authResults(await newIn('carol', 'inbox', before))).toMatch(/spf=pass[^;]*smtp\.mailfrom=(?:x@)?sender\.test/);
    before = k.mailbox('carol').length;
    expect((await toMx(message({ from: 'x@badspf.test', to: 'carol@keep.test', subject: 'spf bad' }), { from: 'x@badspf.test', to: 'carol@keep.test' })).code).toBe(250);
    expect(authResults(await newIn('carol', 'inbox', before))).toMatch(/spf=fail[^;]*smtp\.mailfrom=(?:x@)?badspf\.test/);
  }, 60_000);

  it.skipIf(spfMissing)('agrees with pyspf, asking the same DNS stub', async () => {
    expect(await pyspfCheck({ server: dns.server, ip: '127.0.0.1', sender: 'x@sender.test', helo: 'client.example' })).toBe('pass');
    expect(await pyspfCheck({ server: dns.server, ip: '127.0.0.1', sender: 'x@badspf.test', helo: 'client.example' })).toBe('fail');
  }, 60_000);

  it('refuses a forgery of a p=reject domain with 550 5.7.1 at the end of DATA', async () => {
    const before = k.mailbox('bob').length;
    const r = await toMx(message({ from: 'ceo@rejecter.test', to: 'bob@keep.test', subject: 'wire the money' }), { from: 'ceo@rejecter.test', to: 'bob@keep.test' });
    expect(r.code).toBe(550);
    expect(r.response).toMatch(/^550 5\.7\.1 .*DMARC policy of rejecter\.test/);
    expect(k.mailbox('bob').length).toBe(before);
  }, 60_000);

  it('puts a forgery of a p=quarantine domain in the recipient\'s Junk, not their Mail', async () => {
    const inbox = k.mailbox('alice').length;
    const junk = k.mailbox('alice', 'junk').length;
    const r = await toMx(message({ from: 'billing@quarantine.test', to: 'alice@keep.test', subject: 'invoice' }), { from: 'billing@quarantine.test', to: 'alice@keep.test' });
    expect(r.code).toBe(250);
    const raw = await newIn('alice', 'junk', junk);
    expect(raw).toContain('Subject: invoice');
    expect(authResults(raw)).toMatch(/dmarc=fail/);
    expect(k.mailbox('alice').length).toBe(inbox);
  }, 60_000);

  it('refuses mail from outside whose From is one of Keep\'s own domains', async () => {
    for (const from of ['admin@keep.test', 'alice@keep2.test']) {
      const r = await toMx(message({ from, to: 'bob@keep.test', subject: 'password reset' }), { from: 'someone@badspf.test', to: 'bob@keep.test' });
      expect(r.code).toBe(550);
      expect(r.response).toMatch(/^550 5\.7\.1 Mail from keep2?\.test must be sent through this server/);
    }
  }, 60_000);

  it('accepts mail From a local domain that carries Keep\'s own valid signature (sent out, then back in)', async () => {
    const t = k.submission('alice', 'alice-pw');
    await t.sendMail({ envelope: { from: 'alice@keep.test', to: ['loop@remote.test'] }, raw: message({ from: 'alice@keep.test', to: 'loop@remote.test', subject: 'round trip' }) });
    const out = await k.until(() => sink.received.find((m) => m.to.includes('loop@remote.test')), 60_000);
    const before = k.mailbox('carol').length;
    const r = await toMx(out.raw, { from: 'alice@keep.test', to: 'carol@keep.test' });
    expect(r.code).toBe(250);
    expect(authResults(await newIn('carol', 'inbox', before))).toMatch(/dkim=pass[^;]*header\.i=@keep\.test/);
  }, 90_000);

  it('verifies an ARC chain a forwarder sealed (arc=pass) and reports a broken one (arc=fail)', async () => {
    const raw = Buffer.from(message({ from: 'friend@elsewhere.test', to: 'carol@keep.test', subject: 'forwarded' }));
    const seal = await sealMessage(raw, {
      signingDomain: 'forwarder.test', selector: 'arc', privateKey: arcKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      authResults: 'forwarder.test; spf=pass smtp.mailfrom=elsewhere.test', cv: 'none',
    } as never);
    let before = k.mailbox('carol').length;
    expect((await toMx(Buffer.concat([seal, raw]), { from: 'fwd@forwarder.test', to: 'carol@keep.test' })).code).toBe(250);
    expect(authResults(await newIn('carol', 'inbox', before))).toMatch(/arc=pass/);
    before = k.mailbox('carol').length;
    const broken = Buffer.concat([seal, Buffer.from(raw.toString().replace('Subject: forwarded', 'Subject: forwarded!'))]);
    expect((await toMx(broken, { from: 'fwd@forwarder.test', to: 'carol@keep.test' })).code).toBe(250);
    expect(authResults(await newIn('carol', 'inbox', before))).toMatch(/arc=fail/);
  }, 60_000);

  it('removes incoming Authentication-Results that claim our authserv-id and keeps other servers\'', async () => {
    const before = k.mailbox('bob').length;
    const forged = 'Authentication-Results: keep.test; dkim=pass header.d=bank.example\r\nAuthentication-Results: relay.example;\r\n\tspf=pass smtp.mailfrom=x@sender.test\r\n';
    expect((await toMx(message({ from: 'x@sender.test', to: 'bob@keep.test', subject: 'claims', extraHeaders: forged }), { from: 'x@sender.test', to: 'bob@keep.test' })).code).toBe(250);
    const raw = await newIn('bob', 'inbox', before);
    expect(raw.match(/^Authentication-Results: keep\.test;/gm)).toHaveLength(1);
    expect(raw).not.toContain('header.d=bank.example');
    expect(raw).toContain('Authentication-Results: relay.example;');
  }, 60_000);

  it('answers 451 4.7.5 when the DMARC record of a domain known to publish p=reject cannot be looked up', async () => {
    const first = await toMx(message({ from: 'a@flaky.test', to: 'bob@keep.test', subject: 'seen' }), { from: 'a@flaky.test', to: 'bob@keep.test' });
    expect(first.code).toBe(550);
    dns.silent.add('_dmarc.flaky.test');
    const again = await toMx(message({ from: 'a@flaky.test', to: 'bob@keep.test', subject: 'dns down' }), { from: 'a@flaky.test', to: 'bob@keep.test' });
    expect(again.code).toBe(451);
    expect(again.response).toMatch(/^451 4\.7\.5 /);
  }, 60_000);

  it('accepts and tags (temperror) when DMARC cannot be looked up for a domain not known to publish p=reject', async () => {
    const before = k.mailbox('bob').length;
    const r = await toMx(message({ from: 'a@unknown-policy.test', to: 'bob@keep.test', subject: 'no policy known' }), { from: 'a@unknown-policy.test', to: 'bob@keep.test' });
    expect(r.code).toBe(250);
    expect(authResults(await newIn('bob', 'inbox', before))).toMatch(/dmarc=temperror/);
  }, 60_000);
});
