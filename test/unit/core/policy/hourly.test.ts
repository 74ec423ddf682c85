// Hourly counts are kept in the store's meta table; a key with nothing left in the hour is
// removed by the housekeeping pass, a few keys per write, without touching live counts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';
import { HourlyCounter, pruneHourly } from '../../../../src/core/policy/hourly.ts';

const HOUR = 3600_000;
let f: Fixture;
beforeEach(async () => { f = await coreFixture(); });
afterEach(async () => { await f.close(); });

const storedKeys = () => [...f.store.dbs.meta.getKeys({ start: 'hourly:', end: 'hourly:\uffff' })].map(String).sort();

describe('hourly counts', () => {
  it('housekeeping removes the stored counts of keys with nothing left in the hour and keeps the live ones', async () => {
    const now = Date.now();
    const regs = new HourlyCounter(3, f.store, 'registrations');
    const sent = new HourlyCounter(100, f.store, 'internet-recipients');
    for (let i = 0; i < 5; i++) await regs.add(`10.0.0.${i}`, 1, now - 2 * HOUR);
    await regs.add('10.0.0.9', 1, now - 2 * HOUR);
    await regs.add('10.0.0.9', 1, now - 60_000);
    await sent.add('alice', 4, now - 2 * HOUR);
    await sent.add('bob', 2, now - 60_000);
    expect(storedKeys()).toHaveLength(8);

    expect(await f.core.housekeeping.pruneHourly(now)).toBe(6);
    expect(storedKeys()).toEqual(['hourly:internet-recipients:bob', 'hourly:registrations:10.0.0.9']);
    // what is left still counts, also for a counter read afresh from the store (a restarted worker)
    expect(new HourlyCounter(3, f.store, 'registrations').count('10.0.0.9', now)).toBe(1);
    expect(new HourlyCounter(100, f.store, 'internet-recipients').count('bob', now)).toBe(2);
    expect(await f.core.housekeeping.pruneHourly(now)).toBe(0);
  });

  it('looks at a bounded number of keys per write and per pass, and the next pass goes on from there', async () => {
    const now = Date.now();
    const regs = new HourlyCounter(3, f.store, 'registrations');
    // live keys ahead of the stale ones: a pass that restarted at the front would never reach them
    for (let i = 0; i < 10; i++) await regs.add(`10.0.0.${i}`, 1, now - 60_000);
    for (let i = 0; i < 25; i++) await regs.add(`192.0.2.${i}`, 1, now - 2 * HOUR);
    let writes = 0;
    const write = f.store.write.bind(f.store);
    f.store.write = ((fn: () => unknown) => { writes++; return write(fn as () => never); }) as typeof f.store.write;
    try {
      const first = await pruneHourly(f.store, now, { batch: 4, maxKeys: 10 });
      expect(first.removed).toBe(0);
      expect(writes).toBe(3);
      const second = await pruneHourly(f.store, now, { batch: 4, maxKeys: 10, from: first.from! });
      expect(second.removed).toBe(10);
      expect(storedKeys()).toHaveLength(25);
      expect(await pruneHourly(f.store, now, { batch: 4, maxKeys: 100, from: second.from! })).toEqual({ removed: 15 });
      expect(storedKeys()).toHaveLength(10);
      expect(storedKeys().every((k) => k.startsWith('hourly:registrations:10.0.0.'))).toBe(true);
    } finally {
      f.store.write = write;
    }
  });
});
