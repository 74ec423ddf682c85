// Decoded visit records are shared while their stored bytes stay the same, and read afresh the
// moment anything (this process, another process, a write that aborted) changed them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyVisit } from '../../../../src/core/visits/visits.ts';
import { VisitCache, visitCost } from '../../../../src/core/visits/visit-cache.ts';
import type { VisitRecord } from '../../../../src/store/index.ts';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
let store: Fixture['store'];
beforeAll(async () => {
  f = await coreFixture();
  store = f.store;
});
afterAll(async () => {
  await f?.close();
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

  it('freezes the sets and the keyword map too, so no reader changes what the others see', async () => {
    const cache = new VisitCache(store.dbs.visits);
    await store.write(() => store.dbs.visits.putSync([1, 2], { ...visit([[1, 5]]), keywords: { $Work: [[2, 2]] } }));
    const a = cache.get([1, 2])!;
    expect(() => (a.seen as [number, number][]).push([9, 9])).toThrow(TypeError);
    expect(() => { a.keywords.$Later = [[1, 1]]; }).toThrow(TypeError);
    expect(() => (a.keywords.$Work as [number, number][]).push([3, 3])).toThrow(TypeError);
    expect(cache.get([1, 2])).toEqual({ ...visit([[1, 5]]), keywords: { $Work: [[2, 2]] } });
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

  it('holds no more than its bound, counted as decoded records take memory, dropping the least recently used first', async () => {
    const bytesOf = (k: [number, number]) => store.dbs.visits.getBinary(k)!.length;
    const big = visitCost(bytesOf([3, 1]), store.dbs.visits.get([3, 1])!);
    const small = visitCost(bytesOf([3, 2]), store.dbs.visits.get([3, 2])!);
    // the bound is on memory, not on the stored bytes, which are a small part of it
    expect(big).toBeGreaterThan(5 * bytesOf([3, 1]));
    const cache = new VisitCache(store.dbs.visits, big + small - 1);
    const first = cache.get([3, 1]);
    expect(cache.heldCost).toBe(big);
    cache.get([3, 2]); // over the bound: [3, 1] goes
    expect(cache.heldCost).toBe(small);
    expect(cache.get([3, 1])).not.toBe(first);
    expect(cache.get([3, 1])?.seen).toEqual(first?.seen);
  });

  it('counts a replaced record once and a deleted one not at all', async () => {
    const cache = new VisitCache(store.dbs.visits);
    await store.write(() => store.dbs.visits.putSync([4, 1], visit([[1, 1]])));
    cache.get([4, 1]);
    await store.write(() => store.dbs.visits.putSync([4, 1], visit([[1, 1], [3, 3], [5, 5]])));
    const now = cache.get([4, 1])!;
    expect(cache.heldCost).toBe(visitCost(store.dbs.visits.getBinary([4, 1])!.length, now));
    await store.write(() => store.dbs.visits.removeSync([4, 1]));
    expect(cache.get([4, 1])).toBeUndefined();
    expect(cache.heldCost).toBe(0);
  });
});
