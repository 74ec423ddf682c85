// Logins take turns for their password hash (KEEP_PASSWORD_HASH_THREADS), so a burst of them
// leaves a core to everything else; /metrics splits their time into the wait for a turn and
// the hash itself, which is how the IMAP stress benchmark reports LOGIN (issue 19).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { RawSocket } from '../../helpers/raw-socket.ts';

let keep: Keep;
const USERS = ['hana', 'ivo', 'jun', 'kai'];

beforeAll(async () => {
  keep = await startKeep({ env: { KEEP_PASSWORD_HASH_THREADS: '1' } });
  for (const u of USERS) {
    const r = await keep.cli(['user', 'add', u, '--password', `${u}-pw`]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await keep?.stop();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${keep.ports.http}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name} missing from /metrics`);
  return Number(m[1]);
}

/** Greeted IMAP connections, one per user, that then send their LOGINs in the same instant. */
async function loginAtOnce(users: string[]): Promise<string[]> {
  const sockets = await Promise.all(users.map(() => RawSocket.connect(keep.ports.imap)));
  try {
    await Promise.all(sockets.map((s) => s.line()));
    sockets.forEach((s, i) => s.socket.write(`a LOGIN ${users[i]} ${users[i]}-pw\r\n`));
    return await Promise.all(sockets.map((s) => s.until((t) => /^a (OK|NO|BAD)/m.test(t))));
  } finally {
    for (const s of sockets) s.socket.destroy();
  }
}

describe('password hashes under a burst of logins', () => {
  it('let every login in, one hash at a time, and count the wait apart from the hash', async () => {
    const hashes = await metric('keep_password_hashes_total');
    const waited = await metric('keep_password_hash_wait_seconds_total');
    const replies = await loginAtOnce(USERS);
    for (const r of replies) expect(r).toMatch(/^a OK/m);
    expect(await metric('keep_password_hashes_total')).toBe(hashes + USERS.length);
    // with one turn, every login but the first waited for the hash ahead of it
    expect(await metric('keep_password_hash_wait_seconds_total')).toBeGreaterThan(waited);
    expect(await metric('keep_password_hash_seconds_total')).toBeGreaterThan(0);
  });
});
