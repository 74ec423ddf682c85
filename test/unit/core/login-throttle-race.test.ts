// Guesses sent in parallel must not outrun the failure count: each scrypt check takes ~100 ms,
// and before, every guess in flight passed the lock check before the first failure counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

let f: Fixture;
beforeAll(async () => { f = await coreFixture(); }); // the fixture's throttle: 3 failures a minute
afterAll(async () => { await f?.close(); });

const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err: { kind?: string }) => err.kind ?? 'error');

describe('the login throttle under parallel guesses', () => {
  it('lets no more wrong passwords be checked than the limit, however many arrive at once', async () => {
    await f.user('Target');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      outcome(f.core.users.authenticate({ name: 'target', password: `guess-${i}`, origin: `198.51.100.${i + 1}` }))));
    expect(results.filter((r) => r === 'bad-credentials')).toHaveLength(3);
    expect(results.filter((r) => r === 'limit')).toHaveLength(9);
  });

  it('counts parallel guesses from one address across accounts the same way', async () => {
    for (const n of ['Una', 'Dos', 'Tres', 'Cuatro']) await f.user(n);
    const results = await Promise.all(['una', 'dos', 'tres', 'cuatro', 'una', 'dos'].map((name) =>
      outcome(f.core.users.authenticate({ name, password: 'wrong', origin: '203.0.113.9' }))));
    expect(results.filter((r) => r === 'bad-credentials')).toHaveLength(3);
  });

  it('lets a client that opens many connections with the right password in, one check after another', async () => {
    await f.user('Busy');
    const results = await Promise.all(Array.from({ length: 8 }, () =>
      outcome(f.core.users.authenticate({ name: 'busy', password: 'Busy-pw', origin: '192.0.2.7' }))));
    expect(results).toEqual(Array(8).fill('ok'));
  });

  it('throttles parallel room password guesses the same way', async () => {
    const owner = await f.user('Keeper');
    const guesser = await f.user('Guesser');
    await f.core.rooms.create(owner.actor, { name: 'Safe', kind: 'private-password', password: 'right' });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => outcome(f.core.rooms.enter(guesser.actor, 'Safe', `no-${i}`))));
    expect(results.filter((r) => r === 'bad-credentials')).toHaveLength(3);
    expect(results.filter((r) => r === 'limit')).toHaveLength(7);
  });
});
