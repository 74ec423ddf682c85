// A real store and core in a temporary directory, for unit tests of core operations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Store } from '../../src/store/index.ts';
import { createCore, createCoreWithInternals, systemActor, type Actor, type Core, type CoreInternals, type User } from '../../src/core/index.ts';

export interface Fixture {
  dir: string;
  store: Store;
  core: Core;
  /** core's own operations translators cannot reach (unchecked delivery, raw records) */
  internals: CoreInternals;
  system: Actor;
  /** create a user and return an actor for them */
  user(name: string, level?: number): Promise<{ user: User; actor: Actor }>;
  close(): Promise<void>;
}

export function actorOf(u: User, origin = 'test'): Actor {
  return { kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin };
}

export async function coreFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'keep-core-'));
  const store = Store.open({ dataDir: dir });
  const { core, internals } = createCoreWithInternals({
    store, log: pino({ level: 'silent' }),
    // local users (the fixture's default) may send Internet mail here; test/integration/policy covers the real default
    settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000, internetMailLevel: 3 },
    throttle: { limit: 3, windowMs: 60_000 },
  });
  await core.seed({ name: 'admin', password: 'admin-secret' });
  const system = systemActor('test');
  return {
    dir, store, core, internals, system,
    async user(name, level = 3) {
      const user = await core.users.create(system, { name, password: `${name}-pw`, level: level as 3 });
      return { user, actor: actorOf(user) };
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Core on an existing data directory (a running server's, or a restored copy); LMDB allows several processes. */
export function coreOn(dataDir: string): { store: Store; core: Core; close(): Promise<void> } {
  const store = Store.open({ dataDir, create: false });
  const core = createCore({
    store, log: pino({ level: 'silent' }),
    settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 10_000_000, newUserLevel: 3, softDeleteMs: 1000 },
  });
  return { store, core, close: () => store.close() };
}
