// DKIM keys on disk: made once per domain, rotated under a new selector with the old one kept
// for verifying, removed only when retired; private keys readable by the owner only.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DkimKeys, defaultSelectorBase, dkimRecordText } from '../../../../src/core/mail-auth/dkim-keys.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'keep-dkim-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('DkimKeys', () => {
  it('names the default selector after the year', () => {
    expect(defaultSelectorBase(new Date('2031-05-01T00:00:00Z'))).toBe('keep2031');
  });

  it('makes an RSA-2048 and an Ed25519 key per domain once, 0600, and publishes them in DNS form', async () => {
    const keys = new DkimKeys(dir);
    expect(await keys.ensure(['A.test', 'b.test'], 'sel')).toEqual(['a.test', 'b.test']);
    expect(await keys.ensure(['a.test', 'b.test'], 'other')).toEqual([]);
    const a = keys.active('a.test');
    expect(a.map((k) => `${k.selector} ${k.algorithm}`)).toEqual(['sel-rsa rsa-sha256', 'sel-ed25519 ed25519-sha256']);
    expect(Buffer.from(a[1]!.publicKey, 'base64')).toHaveLength(32);
    expect(dkimRecordText(a[0]!)).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjAN/); // a 2048-bit SubjectPublicKeyInfo
    for (const f of ['sel-rsa.pem', 'sel-ed25519.pem']) expect(statSync(join(dir, 'dkim', 'a.test', f)).mode & 0o777).toBe(0o600);
  });

  it('rotates to a new selector, keeps the old for verifying, and removes it only once retired', async () => {
    const keys = new DkimKeys(dir);
    await keys.ensure(['a.test'], 'old');
    await expect(keys.rotate(['a.test'], 'old')).rejects.toThrow(/already has DKIM keys under selector old/);
    expect(await keys.rotate(['a.test'], 'new')).toEqual([{ domain: 'a.test', previous: 'old' }]);
    expect(keys.active('a.test').map((k) => k.base)).toEqual(['new', 'new']);
    // another process (a running server) sees the rotation through keys.json
    const other = new DkimKeys(dir);
    expect(other.all().map((k) => `${k.selector} ${k.isActive}`).sort()).toEqual(['new-ed25519 true', 'new-rsa true', 'old-ed25519 false', 'old-rsa false']);
    await expect(keys.remove('new')).rejects.toThrow(/active one/);
    expect(await keys.remove('old')).toEqual(['a.test']);
    expect(keys.all().map((k) => k.base)).toEqual(['new', 'new']);
  });
});
