// DKIM signing of mail leaving Keep (issue 20): a local user's mail to an Internet address,
// routed to a sink on loopback, carries an RSA-SHA256 and an Ed25519-SHA256 signature that
// Debian's dkimpy verifies against the TXT records `keepd dns` printed. Rotation switches the
// selector and keeps the old record published.
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { startSink, type Sink } from './sink.ts';
import { parseZone } from '../../helpers/zone.ts';
import { dkimpyMissing, dkimpyVerify } from '../../helpers/dkimpy.ts';

const missing = dkimpyMissing();
if (missing) console.warn(`SKIPPED dkimpy checks: ${missing}`);

let k: MailKeep;
let sink: Sink;
beforeAll(async () => {
  sink = await startSink();
  k = await startMailKeep({ env: { KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${sink.port}` } });
}, 120_000);
afterAll(async () => {
  await k?.stop();
  await sink?.close();
}, 60_000);

async function publishedTxt(): Promise<Record<string, string>> {
  const r = await k.keep.cli(['dns']);
  expect(r.code).toBe(0);
  const zone = parseZone(r.stdout);
  return Object.fromEntries(Object.entries(zone.TXT).map(([name, texts]) => [name, texts[0]!]));
}

const submit = (from: string, to: string, subject: string) =>
  k.submission(from.split('@')[0]!, `${from.split('@')[0]}-pw`).sendMail({ envelope: { from, to: [to] }, raw: message({ from, to, subject }) });

describe('DKIM signing of outbound mail', () => {
  it('generates an RSA and an Ed25519 key per local domain on first start, readable by the owner only', async () => {
    await k.keep.waitForLog((l) => l.msg === 'DKIM keys generated; publish them with the records `keepd dns` prints', 60_000);
    const dir = join(k.keep.dataDir, 'dkim');
    for (const domain of ['keep.test', 'keep2.test']) {
      const files = readdirSync(join(dir, domain)).sort();
      expect(files).toEqual([expect.stringMatching(/^keep\d{4}-ed25519\.pem$/), expect.stringMatching(/^keep\d{4}-rsa\.pem$/)]);
      for (const f of files) expect(statSync(join(dir, domain, f)).mode & 0o777).toBe(0o600);
    }
  }, 90_000);

  it.skipIf(missing)('signs submitted mail with both keys, and dkimpy verifies both from the printed records', async () => {
    await submit('alice@keep.test', 'pen.pal@remote.test', 'signed twice');
    const got = await k.until(() => sink.received.find((m) => m.to.includes('pen.pal@remote.test')), 60_000);
    const raw = Buffer.from(got.raw);
    expect(raw.toString()).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;[^]*d=keep\.test;/m);
    const results = dkimpyVerify(raw, await publishedTxt());
    expect(results.map((r) => r.algorithm).sort()).toEqual(['ed25519-sha256', 'rsa-sha256']);
    expect(results.every((r) => r.ok)).toBe(true);
    // the verifier is not a rubber stamp: one changed byte of the body fails both
    const tampered = Buffer.from(got.raw.replace('Hello.', 'Hellp.'));
    expect(dkimpyVerify(tampered, await publishedTxt()).map((r) => r.ok)).toEqual([false, false]);
  }, 120_000);

  it.skipIf(missing)('signs native mail to an Internet address (core.messages.mail, as ENT0 does)', async () => {
    const alice = k.core.users.get('alice');
    await k.core.messages.mail({ kind: 'user', usernum: alice.usernum, name: alice.name, level: alice.level, origin: 'test' }, { to: ['bbs.friend@remote.test'], text: 'From the BBS.', subject: 'native' });
    const got = await k.until(() => sink.received.find((m) => m.to.includes('bbs.friend@remote.test')), 60_000);
    const results = dkimpyVerify(Buffer.from(got.raw), await publishedTxt());
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.ok)).toBe(true);
  }, 120_000);

  it.skipIf(missing)('rotates: new mail is signed under the new selector, the old record stays published, and it is audited', async () => {
    const r = await k.keep.cli(['dkim', 'rotate', '--selector', 'next']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('keep.test: signing with next-rsa and next-ed25519');
    const txt = await publishedTxt();
    expect(Object.keys(txt).filter((n) => n.endsWith('._domainkey.keep.test')).sort()).toEqual([
      expect.stringMatching(/^keep\d{4}-ed25519\./), expect.stringMatching(/^keep\d{4}-rsa\./), 'next-ed25519._domainkey.keep.test', 'next-rsa._domainkey.keep.test',
    ]);
    await submit('bob@keep.test', 'after.rotation@remote.test', 'rotated');
    const got = await k.until(() => sink.received.find((m) => m.to.includes('after.rotation@remote.test')), 60_000);
    const results = dkimpyVerify(Buffer.from(got.raw), txt);
    expect(results.map((x) => x.selector).sort()).toEqual(['next-ed25519', 'next-rsa']);
    expect(results.every((x) => x.ok)).toBe(true);
    const audit = await k.keep.cli(['audit']);
    expect(audit.stdout).toContain('dkim.rotate');
  }, 120_000);
});
