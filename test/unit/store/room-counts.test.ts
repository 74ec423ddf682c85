// Rooms keep their message count: maintained by every placement, recounted by the schema 1 → 2
// migration and by importing an older export, checked and repaired by `keepd check`.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION, Store } from '../../../src/store/index.ts';
import { exportLines } from '../../../src/core/backup/export.ts';
import { importLines } from '../../../src/core/backup/import.ts';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

const countOf = (f: Fixture, roomnum: number) => f.store.dbs.rooms.get(roomnum)!.count;
const listed = (f: Fixture, roomnum: number) => f.store.dbs.roomLists.getKeysCount({ start: [roomnum, 0], end: [roomnum, Number.MAX_SAFE_INTEGER] });

async function withRooms(): Promise<{ f: Fixture; a: number; b: number }> {
  const f = await coreFixture();
  const a = (await f.core.rooms.create(f.system, { name: 'Alpha', kind: 'public' })).roomnum;
  const b = (await f.core.rooms.create(f.system, { name: 'Beta', kind: 'public' })).roomnum;
  for (let i = 0; i < 5; i++) await f.core.messages.post(f.system, { roomnum: a, text: `a${i}` });
  return { f, a, b };
}

describe('room counts', () => {
  it('follow posts, copies, moves and deletions', async () => {
    const { f, a, b } = await withRooms();
    try {
      expect(countOf(f, a)).toBe(5);
      expect(countOf(f, b)).toBe(0);
      const nums = f.core.messages.list(f.system, a);
      await f.core.messages.copy(f.system, a, b, nums.slice(0, 2));
      await f.core.messages.copy(f.system, a, b, nums.slice(2, 3), { isMove: true });
      await f.core.messages.removeFromRoom(f.system, a, nums.slice(3, 4));
      expect([countOf(f, a), countOf(f, b)]).toEqual([listed(f, a), listed(f, b)]);
      expect([countOf(f, a), countOf(f, b)]).toEqual([3, 3]);
      expect(f.core.rooms.counts(a, undefined)).toEqual({ total: 3, unread: 3 });
      expect(f.core.check.run().problems).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('are reported by check when wrong, and repaired', async () => {
    const { f, a } = await withRooms();
    try {
      await f.store.write(() => f.store.dbs.rooms.putSync(a, { ...f.store.dbs.rooms.get(a)!, count: 99 }));
      expect(f.core.check.run().problems.map((p) => p.kind)).toEqual(['room-count']);
      await f.core.check.repair(f.system);
      expect(countOf(f, a)).toBe(5);
      expect(f.core.check.run().problems).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('are counted by the migration from schema 1', async () => {
    const { f, a } = await withRooms();
    const dir = f.dir;
    // make it look like a schema 1 store: no counts
    await f.store.write(() => {
      for (const { key, value } of f.store.dbs.rooms.getRange()) {
        const { count: _, ...old } = value;
        f.store.dbs.rooms.putSync(key, old as never);
      }
      f.store.dbs.meta.putSync('schemaVersion', 1);
    });
    await f.store.close();
    const reopened = Store.open({ dataDir: dir });
    try {
      expect(reopened.dbs.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
      expect(reopened.dbs.rooms.get(a)!.count).toBe(5);
    } finally {
      await reopened.close();
    }
  });

  it('are counted when an export from schema 1 is imported', async () => {
    const { f, a } = await withRooms();
    try {
      const old = [...exportLines(f.store)].join('').split('\n').filter(Boolean).map((line) => {
        const l = JSON.parse(line) as { t: string; schema?: number; v?: { count?: number } };
        if (l.t === 'header') l.schema = 1;
        if (l.t === 'room') delete l.v!.count;
        return `${JSON.stringify(l)}\n`;
      });
      const target = Store.open({ dataDir: mkdtempSync(join(tmpdir(), 'keep-import-')) });
      try {
        await importLines(target, (async function* () { yield* old; })());
        expect(target.dbs.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
        expect(target.dbs.rooms.get(a)!.count).toBe(5);
      } finally {
        await target.close();
      }
    } finally {
      await f.close();
    }
  });
});

describe('room counts after a repair', () => {
  it('drop when the repair removes a placement whose message is missing, even if the count agreed before', async () => {
    const { f, a } = await withRooms();
    try {
      // a placement of a missing message, with the count raised to match: only the placement is wrong
      await f.store.write(() => {
        f.store.dbs.roomLists.putSync([a, 99_999], { arrived: 0, modseq: 0 });
        f.store.dbs.rooms.putSync(a, { ...f.store.dbs.rooms.get(a)!, count: 6 });
      });
      expect(f.core.check.run().problems.map((p) => p.kind)).not.toContain('room-count');
      await f.core.check.repair(f.system);
      expect(countOf(f, a)).toBe(5);
      expect(f.core.check.run().problems).toEqual([]);
    } finally {
      await f.close();
    }
  });
});

describe('store counters', () => {
  it('are taken only inside a write', async () => {
    const { f } = await withRooms();
    try {
      expect(() => f.store.next('nextMessage')).toThrow(/inside write/);
    } finally {
      await f.close();
    }
  });
});
