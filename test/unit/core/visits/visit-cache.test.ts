// Decoded visit records are shared while their stored bytes stay the same, and read afresh the
// moment anything (this process, another process, a write that aborted) changed them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, type VisitRecord } from '../../../../src/store/index.ts';
import { emptyVisit } from '../../../../src/core/visits/visits.ts';
import { VisitCache } from '../../../../src/core/visits/visit-cache.ts';

let dir: string;
let store: Store;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keep-visit-cache-'));
  store = Store.open({ dataDir: dir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const visit = (seen: [number, number][]): VisitRecord => ({ ...emptyVisit(), seen });

describe('VisitCache', () => {
  it('hands out one decoded record while the bytes are unchanged, frozen against changes', async () => {
    const cache = new VisitCache(store.dbs.visits);
    await store.write(() => store.dbs.visits.putSync([1, 1], visit([[1, 5]])));
    const a = cache.get([1, 1]);
    expect(a?.seen).toEqual([[1, 5]]);
    expect(cache.get([1, 1])).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('reads the record again after any write changed it, and forgets one deleted', async () => {
    const cache = new VisitCache(store.dbs.visits);
    await store.write(() => store.dbs.visits.putSync([2, 1], visit([[1, 1]])));
    expect(cache.get([2, 1])?.seen).toEqual([[1, 1]]);
    // a write that does not go through the cache's owner, as keepd's command line makes
    await store.write(() => store.dbs.visits.putSync([2, 1], visit([[1, 2]])));
    expect(cache.get([2, 1])?.seen).toEqual([[1, 2]]);
    await store.write(() => store.dbs.visits.removeSync([2, 1]));
    expect(cache.get([2, 1])).toBeUndefined();
  });

  it('tells records of different keys and sizes apart when read one after another', async () => {
    const cache = new VisitCache(store.dbs.visits);
    const big = visit(Array.from({ length: 500 }, (_, i) => [i * 3, i * 3 + 1] as [number, number]));
    await store.write(() => {
      store.dbs.visits.putSync([3, 1], big);
      store.dbs.visits.putSync([3, 2], visit([[7, 7]]));
    });
    for (let round = 0; round < 3; round++) {
      expect(cache.get([3, 1])?.seen).toHaveLength(500);
      expect(cache.get([3, 2])?.seen).toEqual([[7, 7]]);
    }
  });

  it('holds no more bytes than its bound, dropping the least recently used first', async () => {
    const one = store.dbs.visits.getBinary([3, 1])!.length;
    const cache = new VisitCache(store.dbs.visits, one + 10);
    const first = cache.get([3, 1]);
    cache.get([3, 2]); // over the bound: [3, 1] goes
    expect(cache.get([3, 1])).not.toBe(first);
    expect(cache.get([3, 1])?.seen).toEqual(first?.seen);
  });
});
