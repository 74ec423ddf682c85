// A wrong password costs the same time for an account that exists and one that does not (the
// unknown name is checked against a dummy scrypt hash), so logins cannot enumerate accounts.
// Measured over the wire with plain fetch: many interleaved samples and medians, which hold on
// a busy machine where single requests vary by several times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep;
beforeAll(async () => {
  // no throttle in the way: every sample must reach the password check
  keep = await startKeep({ env: { KEEP_AUTH_FAILURE_LIMIT: '100000' } });
  const admin = await NativeClient.connect(keep.ports.native);
  expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
  expect((await admin.cmd('CREU alice|alice-pw')).code).toBe(200);
  admin.close();
}, 300_000);
afterAll(async () => {
  await keep?.stop();
});

async function wrongLogin(user: string): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${keep.ports.http}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: 'not-the-password' }),
  });
  await res.arrayBuffer();
  expect(res.status).toBe(401);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

describe('POST /api/login timing', () => {
  it('takes as long for an unknown account as for a real one with a wrong password (medians within 20 %)', async () => {
    await wrongLogin('alice');
    await wrongLogin('nobody-at-all');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 31; i++) {
      // alternate which goes first, so a burst of load hits both sides alike
      if (i % 2 === 0) {
        known.push(await wrongLogin('alice'));
        unknown.push(await wrongLogin(`nobody-${i}`));
      } else {
        unknown.push(await wrongLogin(`nobody-${i}`));
        known.push(await wrongLogin('alice'));
      }
    }
    const [k, u] = [median(known), median(unknown)];
    expect(Math.abs(k - u) / Math.max(k, u), `medians: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(0.2);
  }, 300_000);
});
