// Writes resolve in the order they were made, failed ones included, so events and replies that
// follow them keep the order of the numbers their transactions took.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

let f: Fixture;
let store: Fixture['store'];
beforeAll(async () => {
  f = await coreFixture();
  store = f.store;
});
afterAll(async () => {
  await f?.close();
});

describe('Store.write', () => {
  it('resolves writes in the order they were made, whatever batch each lands in', async () => {
    const resolved: number[] = [];
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const n = i;
      writes.push(store.write(() => store.next('modseq')).then((modseq) => resolved.push(n) && modseq));
      // spread the writes over several batches and flushes
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    const modseqs = (await Promise.all(writes)) as number[];
    expect(resolved).toEqual([...resolved].sort((a, b) => a - b));
    expect(modseqs).toEqual([...modseqs].sort((a, b) => a - b));
  });

  it('keeps the order across a write that fails', async () => {
    const order: string[] = [];
    const first = store.write(() => store.next('modseq')).then(() => order.push('first'));
    const failing = store.write(() => { throw new Error('refused'); }).catch(() => order.push('failed'));
    const third = store.write(() => store.next('modseq')).then(() => order.push('third'));
    await Promise.all([first, failing, third]);
    expect(order.indexOf('first')).toBeLessThan(order.indexOf('third'));
  });
});
