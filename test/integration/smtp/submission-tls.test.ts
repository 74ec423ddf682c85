// Submission off loopback needs TLS before AUTH: with loopback treated like any other address
// (KEEP_CLEARTEXT_AUTH_ON_LOOPBACK=false), AUTH in the clear is 538 and works after STARTTLS.
// Also a real client: curl's SMTP (smtp:// with --ssl-reqd) submits a message that the native
// client then reads.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, startMailKeep, type MailKeep } from './fixture.ts';
import { RawSmtp } from './raw-smtp.ts';
import { NativeClient } from '../../helpers/native-client.ts';

let k: MailKeep;
beforeAll(async () => { k = await startMailKeep({ env: { KEEP_CLEARTEXT_AUTH_ON_LOOPBACK: 'false' } }); });
afterAll(async () => { await k?.stop(); });

const hasCurl = await new Promise<boolean>((resolve) => execFile('curl', ['--version'], (err, out) => resolve(!err && /\bsmtp\b/.test(out))));

describe('SMTP submission TLS', () => {
  it('answers AUTH before STARTTLS with 538', async () => {
    const c = await RawSmtp.connect(k.keep.ports.submission);
    expect((await c.cmd('EHLO client.example')).code).toBe(250);
    const plain = Buffer.from('\0alice\0alice-pw').toString('base64');
    expect((await c.cmd(`AUTH PLAIN ${plain}`)).code).toBe(538);
    c.close();
  });

  it('authenticates after STARTTLS', async () => {
    const info = await k.submission('alice', 'alice-pw', { requireTLS: true }).sendMail({ envelope: { from: 'alice@keep.test', to: ['bob@keep.test'] }, raw: message({ from: 'alice@keep.test', to: 'bob@keep.test', subject: 'over tls' }) });
    expect(info.response).toMatch(/^250 /);
    expect(k.raw(k.mailbox('bob').at(-1)!)).toContain('Subject: over tls');
  });

  it.skipIf(!hasCurl)('delivers a message submitted by curl (smtp://, STARTTLS, AUTH)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keep-curl-'));
    try {
      const file = join(dir, 'mail.txt');
      writeFileSync(file, message({ from: 'carol@keep.test', to: 'alice@keep.test', subject: 'sent by curl' }));
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile('curl', ['-sS', '--max-time', '20', `smtp://127.0.0.1:${k.keep.ports.submission}`, '--ssl-reqd', '-k', '--user', 'carol:carol-pw',
          '--mail-from', 'carol@keep.test', '--mail-rcpt', 'alice@keep.test', '--upload-file', file], (err, _out, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr }));
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(k.raw(k.mailbox('alice').at(-1)!)).toContain('Subject: sent by curl');
      // and the native client reads it from alice's Mail room
      const native = await NativeClient.connect(k.keep.ports.native);
      try {
        expect((await native.login('alice', 'alice-pw')).code).toBe(200);
        expect((await native.cmd('GOTO _MAIL_|')).code).toBe(200);
        const last = Number((await native.cmd('MSGS LAST|1|0')).lines[0]);
        const msg = await native.cmd(`MSG0 ${last}|0`);
        expect(msg.code).toBe(100);
        expect(msg.lines).toContain('subj=sent by curl');
      } finally {
        native.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
if (!hasCurl) console.warn('SKIPPED: curl with SMTP support is not installed; the real-client test did not run');
