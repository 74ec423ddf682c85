// core.subscriptions: a user's subscribed folder names, changed one name at a time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

describe('core.subscriptions.change', () => {
  it('starts from the given names the first time, then keeps what the user said', async () => {
    const { actor } = await f.user('sue');
    expect(f.core.subscriptions.list(actor)).toBeUndefined();
    await f.core.subscriptions.change(actor, 'Work', true, () => ['INBOX', 'Sent']);
    expect(f.core.subscriptions.list(actor)).toEqual(['INBOX', 'Sent', 'Work']);
    await f.core.subscriptions.change(actor, 'Sent', false, () => ['ignored']);
    expect(f.core.subscriptions.list(actor)).toEqual(['INBOX', 'Work']);
  });

  it('loses no change when two sessions of the user subscribe at the same moment', async () => {
    const { actor } = await f.user('sam');
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => f.core.subscriptions.change(actor, n, true, () => ['INBOX'])));
    expect(f.core.subscriptions.list(actor)?.sort()).toEqual(['INBOX', 'a', 'b', 'c', 'd']);
  });

  it('tells the user\'s sessions with a subscriptions event once the change is stored', async () => {
    const { actor, user } = await f.user('sia');
    const seen: number[] = [];
    f.core.events.on('subscriptions', (e) => seen.push(e.usernum));
    await f.core.subscriptions.change(actor, 'Work', true, () => []);
    await f.core.subscriptions.set(actor, ['INBOX']);
    expect(seen).toEqual([user.usernum, user.usernum]);
  });
});
