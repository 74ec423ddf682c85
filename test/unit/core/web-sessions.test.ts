// Web login sessions in the store: found by token until they expire or end, only a hash kept,
// at most MAX_SESSIONS_PER_USER per user (the oldest go), expired ones swept.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/index.ts';
import { snapshot } from '../../../src/core/backup/snapshot.ts';
import { MAX_SESSIONS_PER_USER, sessionIdOf } from '../../../src/core/web-sessions/web-sessions.ts';
import { coreFixture } from '../../helpers/core-fixture.ts';

describe('web sessions', () => {
  it('are found by token until they end or expire, and keep no token', async () => {
    const f = await coreFixture();
    try {
      const { actor } = await f.user('ann');
      const { token, session } = await f.core.webSessions.create(actor, 'web:127.0.0.1', 60_000, 1_000);
      expect(session.id).toBe(sessionIdOf(token));
      expect(f.store.dbs.webSessions.get(token)).toBeUndefined();
      expect(f.core.webSessions.find(token, 2_000)).toMatchObject({ usernum: session.usernum, expires: 61_000 });
      expect(f.core.webSessions.find(token, 61_000)).toBeUndefined();
      expect(f.core.webSessions.find('not-a-token', 2_000)).toBeUndefined();
      await f.core.webSessions.end(session.id);
      expect(f.core.webSessions.find(token, 2_000)).toBeUndefined();
      await expect(f.core.webSessions.create(f.system, 'x', 1000)).rejects.toMatchObject({ kind: 'not-logged-in' });
    } finally {
      await f.close();
    }
  });

  it('let a user hold a bounded number, ending the oldest, and sweep expired ones', async () => {
    const f = await coreFixture();
    try {
      const { actor } = await f.user('ann');
      const made = [];
      for (let i = 0; i < MAX_SESSIONS_PER_USER; i++) made.push(await f.core.webSessions.create(actor, 'web', 60_000, 1_000 + i));
      const next = await f.core.webSessions.create(actor, 'web', 60_000, 5_000);
      expect(next.evicted).toEqual([made[0]!.session.id]);
      expect(f.core.webSessions.count()).toBe(MAX_SESSIONS_PER_USER);
      const short = await f.core.webSessions.create((await f.user('ben')).actor, 'web', 10, 1_000);
      expect(await f.core.webSessions.sweep(2_000)).toEqual([short.session.id]);
      expect(f.core.webSessions.count()).toBe(MAX_SESSIONS_PER_USER);
    } finally {
      await f.close();
    }
  });
});

describe('web sessions end with the password or the account', () => {
  it('end when the password changes or the account is deleted, and core says which', async () => {
    const f = await coreFixture();
    try {
      const { user, actor } = await f.user('ann');
      const ended: { usernum: number; ids: string[] }[] = [];
      f.core.events.on('loginsEnded', (e) => ended.push(e));
      const a = await f.core.webSessions.create(actor, 'web', 60_000);
      const b = await f.core.webSessions.create(actor, 'web', 60_000);
      const other = await f.core.webSessions.create((await f.user('ben')).actor, 'web', 60_000);
      await f.core.users.changePassword(actor, user.usernum, 'a-new-secret');
      expect(f.core.webSessions.find(a.token)).toBeUndefined();
      expect(f.core.webSessions.find(b.token)).toBeUndefined();
      expect(f.core.webSessions.find(other.token)).toBeDefined();
      expect(ended).toEqual([{ usernum: user.usernum, ids: expect.arrayContaining([a.session.id, b.session.id]) }]);
      const c = await f.core.webSessions.create(actor, 'web', 60_000);
      await f.core.users.setLevel(f.system, user.usernum, 0);
      expect(f.core.webSessions.find(c.token)).toBeUndefined();
      expect(ended.at(-1)).toEqual({ usernum: user.usernum, ids: [c.session.id] });
    } finally {
      await f.close();
    }
  });

  it('are left out of a snapshot', async () => {
    const f = await coreFixture();
    try {
      const { actor } = await f.user('ann');
      await f.core.webSessions.create(actor, 'web', 60_000);
      const dest = join(mkdtempSync(join(tmpdir(), 'keep-snap-')), 'snap');
      await snapshot(f.store, dest);
      const copy = Store.open({ dataDir: dest, create: false });
      try {
        expect(copy.dbs.webSessions.getCount()).toBe(0);
        expect(copy.dbs.users.getCount()).toBe(f.store.dbs.users.getCount());
      } finally {
        await copy.close();
      }
    } finally {
      await f.close();
    }
  });
});
