// First start: the main floor, the base room (Lobby), the Aide room and the admin account.
import type { Core } from './index.ts';
import { systemActor, LEVEL } from './actor.ts';
import { AIDE_ROOM, BASE_ROOM } from './rooms/room.ts';
import { hashPassword, randomPassword } from './users/password.ts';
import { localPartFor, validateUserName } from './users/users.ts';

export interface SeedResult {
  isFirstStart: boolean;
  /** set only when the admin password was generated: print it once */
  generatedPassword?: string;
  adminUser: string;
}

export async function seed(core: Core, admin: { name: string; password?: string }): Promise<SeedResult> {
  const { store } = core.ctx;
  if (store.dbs.meta.get('seeded')) return { isFirstStart: false, adminUser: admin.name };
  const system = systemActor('first start');
  const password = admin.password ?? randomPassword();
  const hash = await hashPassword(password);
  // one transaction: a crash during the first start leaves either a complete seed or none
  await store.write(() => {
    if (store.dbs.meta.get('seeded')) return;
    core.floors.createInTxn('Main Floor', 0);
    core.rooms.insertInTxn({ name: BASE_ROOM, kind: 'public', floor: 0, order: 0, owners: [], aide: 0, isPermanent: true, isReadOnly: false, defaultView: 0, info: 'The base room: everyone starts here.', infoTime: Date.now() });
    core.rooms.insertInTxn({ name: AIDE_ROOM, kind: 'private-invite', floor: 0, order: 1, owners: [], aide: 0, isPermanent: true, isReadOnly: false, defaultView: 0 });
    store.raise('nextFloor', 1);
    const name = validateUserName(admin.name);
    core.users.insertInTxn(system, { name, hash, level: LEVEL.aide, addresses: [`${localPartFor(name)}@${core.settings.domain}`.toLowerCase()] });
    store.dbs.meta.putSync('seeded', Date.now());
  });
  return { isFirstStart: true, adminUser: admin.name, ...(admin.password ? {} : { generatedPassword: password }) };
}
