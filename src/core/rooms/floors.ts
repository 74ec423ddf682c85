// Floors: groups of rooms (Citadel's floors; NNTP hierarchy prefixes). Floor 0 always exists.
import type { FloorRecord } from '../../store/index.ts';
import type { Actor } from '../actor.ts';
import { isAide } from '../actor.ts';
import type { Ctx } from '../context.ts';
import { CoreError } from '../errors.ts';
import type { Audit } from '../audit/audit.ts';

export type Floor = FloorRecord & { roomCount: number };

export function createFloors(ctx: Ctx, deps: { audit: Audit }) {
  const { store } = ctx;
  const { dbs } = store;
  const roomCount = (floornum: number) => {
    let n = 0;
    for (const { value } of dbs.rooms.getRange()) if (value.floor === floornum && !value.deletedAt && value.kind !== 'mailbox' && value.kind !== 'direct') n++;
    return n;
  };
  const requireAide = (actor: Actor) => {
    if (!isAide(actor)) throw new CoreError('forbidden', 'Higher access required.');
  };
  const validName = (name: string) => {
    const n = name.trim();
    if (!n || n.length > 40 || /[|\x00-\x1f]/.test(n)) throw new CoreError('invalid', `'${name}' is not a valid floor name.`);
    return n;
  };
  return {
    list(): Floor[] {
      return [...dbs.floors.getRange()].map(({ value }) => ({ ...value, roomCount: roomCount(value.floornum) }))
        .sort((a, b) => a.order - b.order || a.floornum - b.floornum);
    },
    get(floornum: number): Floor {
      const f = dbs.floors.get(floornum);
      if (!f) throw new CoreError('not-found', `No floor #${floornum}.`);
      return { ...f, roomCount: roomCount(floornum) };
    },
    /** Seed floor 0 (inside the first-start transaction). */
    createInTxn(name: string, floornum?: number): FloorRecord {
      const num = floornum ?? store.next('nextFloor');
      const f: FloorRecord = { floornum: num, name, order: num };
      dbs.floors.putSync(num, f);
      return f;
    },
    async create(actor: Actor, name: string): Promise<Floor> {
      requireAide(actor);
      const n = validName(name);
      const f = await store.write(() => {
        for (const { value } of dbs.floors.getRange()) if (value.name.toLowerCase() === n.toLowerCase()) throw new CoreError('exists', `Floor '${n}' already exists.`);
        const rec = this.createInTxn(n);
        deps.audit.recordInTxn(actor, 'floor.create', n);
        return rec;
      });
      return { ...f, roomCount: 0 };
    },
    async rename(actor: Actor, floornum: number, name: string): Promise<Floor> {
      requireAide(actor);
      const n = validName(name);
      const f = await store.write(() => {
        const cur = dbs.floors.get(floornum);
        if (!cur) throw new CoreError('not-found', `No floor #${floornum}.`);
        dbs.floors.putSync(floornum, { ...cur, name: n });
        deps.audit.recordInTxn(actor, 'floor.rename', cur.name, { to: n });
        return { ...cur, name: n };
      });
      return { ...f, roomCount: roomCount(floornum) };
    },
    async remove(actor: Actor, floornum: number): Promise<void> {
      requireAide(actor);
      if (floornum === 0) throw new CoreError('forbidden', 'The main floor cannot be deleted.');
      if (roomCount(floornum) > 0) throw new CoreError('invalid', 'The floor is not empty.');
      await store.write(() => {
        const cur = dbs.floors.get(floornum);
        if (!cur) throw new CoreError('not-found', `No floor #${floornum}.`);
        dbs.floors.removeSync(floornum);
        deps.audit.recordInTxn(actor, 'floor.delete', cur.name);
      });
    },
  };
}

export type Floors = ReturnType<typeof createFloors>;
