// Schema 4: room passwords are kept as scrypt hashes, never in clear. Rooms written before
// (and rooms in older exports) carry `password` in clear; this turns it into `passwordHash`
// in the format core/users/password.ts writes and checks (scrypt$N$r$p$salt$hash).
import { randomBytes, scryptSync } from 'node:crypto';
import type { Dbs } from './store.ts';
import type { RoomRecord } from './records.ts';

const N = 16384;
const R = 8;
const P = 1;

function hashSync(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A room record with a clear password replaced by its hash (unchanged when it has none). */
export function withHashedPassword(r: RoomRecord): RoomRecord {
  if (r.password === undefined) return r;
  const { password, ...rest } = r;
  return password ? { ...rest, passwordHash: hashSync(password) } : rest;
}

/** Hash every clear room password (inside the migration's transaction). */
export function hashRoomPasswordsInTxn(dbs: Dbs): void {
  for (const { key, value } of dbs.rooms.getRange()) {
    if (value.password !== undefined) dbs.rooms.putSync(key, withHashedPassword(value));
  }
}
