// First start: the main floor, the base room (Lobby), the Aide room and the admin account.
import type { Ctx } from './context.ts';
import type { Floors } from './rooms/floors.ts';
import type { Rooms } from './rooms/rooms.ts';
import type { Users } from './users/users.ts';
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

/** Seed a new store once (core.seed); later calls find it seeded and change nothing. */
export async function seedFirstStart(ctx: Ctx, core: { floors: Floors; rooms: Rooms; users: Users }, admin: { name: string; password?: string }): Promise<SeedResult> {
  const { store } = ctx;
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
    core.users.insertInTxn(system, { name, hash, level: LEVEL.aide, addresses: [`${localPartFor(name)}@${ctx.settings.domain}`.toLowerCase()] });
    store.dbs.meta.putSync('seeded', Date.now());
  });
  return { isFirstStart: true, adminUser: admin.name, ...(admin.password ? {} : { generatedPassword: password }) };
}
