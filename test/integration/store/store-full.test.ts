// A full disk (issue 10): the real server on a data directory with no room left answers writes
// with a temporary failure (SMTP 451), keeps serving reads (native MSG0), does not restart, loses
// nothing it acknowledged, and its store checks clean. Needs root to mount a small tmpfs; skips
// loudly otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startKeep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';

function mountSmallDisk(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'keep-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const disk = mountSmallDisk();
if (!disk) console.warn('SKIPPED store-full test: cannot mount a small tmpfs (needs root)');

describe.skipIf(!disk)('a full disk', () => {
  afterAll(() => {
    execFileSync('umount', [disk!]);
    rmSync(disk!, { recursive: true, force: true });
  });

  it('refuses mail with 451, keeps serving reads and loses nothing acknowledged', async () => {
    const keep = await startKeep({ dataDir: join(disk!, 'data'), env: { KEEP_MAX_MESSAGE_SIZE: '1000000' } });
    try {
      const mx = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.smtp, secure: false, ignoreTLS: true, pool: false });
      const acked: string[] = [];
      let refusal: { responseCode?: number; response?: string } | undefined;
      for (let i = 0; i < 60 && !refusal; i++) {
        try {
          await mx.sendMail({ from: 'sender@example.org', to: 'admin@keep.test', subject: `big ${i}`, text: `${i} ${'y'.repeat(400_000)}` });
          acked.push(`big ${i}`);
        } catch (err) {
          refusal = err as { responseCode?: number; response?: string };
        }
      }
      mx.close();
      expect(refusal?.responseCode).toBe(451);
      expect(acked.length).toBeGreaterThan(3);

      const reader = await NativeClient.connect(keep.ports.native);
      expect((await reader.login('admin', keep.adminPassword)).code).toBe(200);
      expect((await reader.cmd('GOTO _MAIL_')).code).toBe(200);
      const nums = (await reader.cmd('MSGS ALL')).lines.map(Number);
      expect(nums.length).toBe(acked.length);
      const last = await reader.cmd(`MSG0 ${nums.at(-1)}|1`);
      expect(last.code).toBe(100);
      expect(last.lines.join('\n')).toContain(`subj=${acked.at(-1)}`);
      reader.close();
      expect((await keep.healthz()).restarts).toBe(0);
    } finally {
      expect(await keep.stop()).toBe(0);
    }
    const check = await keep.cli(['check']);
    expect(check.stdout).toContain('store is consistent');
  }, 240_000);
});
