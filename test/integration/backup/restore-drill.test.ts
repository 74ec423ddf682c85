// Restore drill (issue 9): load a store, back it up while writes continue, wipe it, restore by
// starting keepd on the copy, and compare counts and content hashes; the same through
// export/import, plain and encrypted, including the exact round trip.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKeepd, startKeep } from '../../helpers/start-keep.ts';
import { handToServer } from '../../helpers/server-user.ts';
import { systemActor, BASE_ROOM } from '../../../src/core/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { actorOf, coreOn } from '../../helpers/core-fixture.ts';

const base = mkdtempSync(join(tmpdir(), 'keep-drill-'));
handToServer(base);
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** msgnum → sha256 of the stored bytes, for every message in the store (mailboxes included). */
function hashes(store: Store): Map<number, string> {
  const out = new Map<number, string>();
  for (const { key, value } of store.dbs.messages.getRange()) {
    if (value.refcount > 0) out.set(key, createHash('sha256').update(store.dbs.bodies.get(key)!).digest('hex'));
  }
  return out;
}

describe('backup and restore', () => {
  it('restores a snapshot taken under write load with every message intact', async () => {
    const keep = await startKeep({ keepData: true, dataDir: join(base, 'live') });
    const live = coreOn(keep.dataDir);
    const actor = systemActor('drill');
    const [ann] = await Promise.all(['Ann', 'Ben', 'Cid'].map((name) => live.core.users.create(actor, { name, password: `${name}-pw` })));
    const kitchen = await live.core.rooms.create(actor, { name: 'Kitchen', kind: 'public' });
    const lobby = live.core.rooms.findByName(actor, BASE_ROOM)!;
    await Promise.all(Array.from({ length: 10 }, async (_, w) => {
      for (let i = 0; i < 200; i++) await live.core.messages.post(actor, { roomnum: i % 2 ? lobby.roomnum : kitchen.roomnum, subject: `w${w} ${i}`, text: `writer ${w} line ${i}\n${'x'.repeat(i)}` });
    }));
    await live.core.messages.mail(actorOf(ann!), { to: ['Ben'], subject: 'hi', text: 'mail' });
    const before = hashes(live.store);
    expect(before.size).toBe(2001);

    // writes go on while the snapshot is taken
    let isWriting = true;
    const writer = (async () => {
      for (let i = 0; isWriting && i < 5000; i++) await live.core.messages.post(actor, { roomnum: lobby.roomnum, subject: `during ${i}`, text: 'during the backup' });
    })();
    const snap = join(base, 'snap');
    const b = await keep.cli(['backup', snap]);
    isWriting = false;
    await writer;
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/backup written to .*snap: .* MiB in \d+ ms/);
    await live.close();
    expect(await keep.stop()).toBe(0);
    rmSync(keep.dataDir, { recursive: true, force: true }); // the disk is gone

    const restored = await startKeep({ dataDir: snap, keepData: true });
    const check = await restored.cli(['check']);
    expect(check.stdout).toContain('store is consistent');
    expect(await restored.stop()).toBe(0);
    const r = coreOn(snap);
    const after = hashes(r.store);
    for (const [n, h] of before) expect(after.get(n)).toBe(h);
    expect(r.core.users.list(actor).map((u) => u.name)).toEqual(expect.arrayContaining(['admin', 'Ann', 'Ben', 'Cid']));
    await r.close();
  }, 300_000);

  it('exports, imports and exports again byte for byte, plain and encrypted', async () => {
    const src = join(base, 'snap');
    const env = { KEEP_DATA_DIR: src, KEEP_DOMAIN: 'keep.test' };
    expect((await runKeepd(['export', '--out', join(base, 'one.jsonl')], env)).code).toBe(0);
    const imp = await runKeepd(['import', join(base, 'one.jsonl')], { ...env, KEEP_DATA_DIR: join(base, 'two') });
    expect(imp.code).toBe(0);
    expect((await runKeepd(['export', '--out', join(base, 'two.jsonl')], { ...env, KEEP_DATA_DIR: join(base, 'two') })).code).toBe(0);
    const one = readFileSync(join(base, 'one.jsonl'));
    expect(readFileSync(join(base, 'two.jsonl')).equals(one)).toBe(true);
    expect(one.toString().split('\n').filter((l) => l.startsWith('{"t":"message"')).length).toBeGreaterThanOrEqual(2001);

    const secret = { KEEP_EXPORT_PASSPHRASE: 'correct horse battery' };
    expect((await runKeepd(['export', '--encrypt', '--out', join(base, 'one.enc')], { ...env, ...secret })).code).toBe(0);
    expect(readFileSync(join(base, 'one.enc')).includes('writer 1 line')).toBe(false);
    expect((await runKeepd(['import', join(base, 'one.enc')], { ...env, ...secret, KEEP_DATA_DIR: join(base, 'three') })).code).toBe(0);
    expect((await runKeepd(['export', '--out', join(base, 'three.jsonl')], { ...env, KEEP_DATA_DIR: join(base, 'three') })).code).toBe(0);
    expect(readFileSync(join(base, 'three.jsonl')).equals(one)).toBe(true);

    const audit = JSON.parse((await runKeepd(['audit', '--json'], { ...env, KEEP_DATA_DIR: join(base, 'three') })).stdout) as { action: string; origin: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['store.import', 'user.create', 'room.create']));
    expect(audit.find((a) => a.action === 'store.import')!.origin).toMatch(/^cli:/);
  }, 300_000);

  it('refuses a wrong passphrase, a tampered or truncated file and a non-empty target, importing nothing', async () => {
    const env = { KEEP_DOMAIN: 'keep.test', KEEP_EXPORT_PASSPHRASE: 'correct horse battery' };
    const enc = readFileSync(join(base, 'one.enc'));
    const tampered = Buffer.from(enc);
    tampered[Math.floor(enc.length / 2)]! ^= 1;
    const cases: [string, Buffer | string, Record<string, string>, RegExp][] = [
      ['wrong.enc', enc, { KEEP_EXPORT_PASSPHRASE: 'wrong horse battery' }, /wrong passphrase/],
      ['tampered.enc', tampered, {}, /altered or damaged|not intact/],
      ['truncated.enc', enc.subarray(0, enc.length - 100), {}, /truncated|altered/],
      ['truncated.jsonl', readFileSync(join(base, 'one.jsonl')).subarray(0, 5000), {}, /end record|not a JSON record/],
      ['garbage.jsonl', 'hello\n', {}, /not a JSON record/],
    ];
    for (const [name, bytes, extra, message] of cases) {
      const { writeFileSync, existsSync } = await import('node:fs');
      writeFileSync(join(base, name), bytes);
      const target = join(base, `target-${name}`);
      const r = await runKeepd(['import', join(base, name)], { ...env, ...extra, KEEP_DATA_DIR: target });
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(target), name).toBe(false);
    }
    const full = await runKeepd(['import', join(base, 'one.jsonl')], { ...env, KEEP_DATA_DIR: join(base, 'two') });
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/is not empty/);
  }, 300_000);
});
