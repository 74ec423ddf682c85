// Record shapes (store/shapes.ts) are part of the stored format: a record names its shape by
// position, so the lists may only grow at the end. Records are written by reference when their
// keys match a shape, inline otherwise, and records written before shapes existed still read.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { Store, type VisitRecord } from '../../../src/store/index.ts';
import { RECORD_SHAPES } from '../../../src/store/shapes.ts';

/** The lists as first stored (schema 3). Existing entries never change; new ones go after them. */
const PINNED: Record<string, string[][]> = {
  "meta": [
    ["nextMessage","nextUser","nextRoom","nextFloor","modseq","auditSeq"],
  ],
  "users": [
    ["usernum","name","passwordHash","level","addresses","flags","timesCalled","posted","lastCall","created","validated"],
    ["usernum","name","passwordHash","level","addresses","flags","timesCalled","posted","lastCall","created","validated","bio"],
  ],
  "rooms": [
    ["name","kind","floor","order","owners","aide","isPermanent","isReadOnly","role","defaultView","roomnum","generation","highest","count","created","mtime"],
    ["name","kind","floor","order","owners","aide","isPermanent","isReadOnly","defaultView","roomnum","generation","highest","count","created","mtime"],
    ["name","kind","floor","order","owners","aide","isPermanent","isReadOnly","defaultView","info","infoTime","roomnum","generation","highest","count","created","mtime"],
    ["name","kind","floor","order","owners","aide","isPermanent","isReadOnly","defaultView","roomnum","generation","highest","count","created","mtime","deletedAt"],
  ],
  "floors": [
    ["floornum","name","order"],
  ],
  "messages": [
    ["name","address"],
    ["type","subtype","params","encoding","headerStart","bodyStart","end","lines"],
    ["charset"],
    ["date","subject","from","sender","replyTo","to","cc","bcc","messageId"],
    ["msgnum","format","time","authorName","authorAddress","subject","messageId","references","recipients","originRoom","size","lines","refcount","textFormat","envelope","bodyStructure","headers","bodyOffset","authorUser","isChat"],
    ["from","sender","replyTo","to","cc","bcc","date","subject","messageId"],
    ["msgnum","format","time","authorName","subject","messageId","references","recipients","originRoom","size","lines","refcount","envelope","bodyStructure","headers","bodyOffset","authorAddress","authorUser"],
    ["address"],
    ["msgnum","format","time","authorName","authorAddress","subject","messageId","references","recipients","originRoom","size","lines","refcount","textFormat","envelope","bodyStructure","headers","bodyOffset","authorUser"],
    ["msgnum","format","time","authorName","authorAddress","subject","messageId","references","recipients","originRoom","size","lines","refcount","textFormat","envelope","bodyStructure","headers","bodyOffset"],
    ["from","sender","replyTo","to","cc","bcc","subject"],
    ["msgnum","format","time","authorName","subject","messageId","references","recipients","originRoom","size","lines","refcount","envelope","bodyStructure","headers","bodyOffset","authorAddress","authorUser","removedFrom","deletedAt"],
    ["msgnum","format","time","authorName","subject","messageId","references","recipients","originRoom","size","lines","refcount","envelope","bodyStructure","headers","bodyOffset","authorUser"],
    ["from","sender","replyTo","to","cc","bcc","subject","messageId"],
    ["from","sender","replyTo","to","cc","bcc","date","subject"],
    ["msgnum","format","time","authorName","subject","messageId","references","recipients","originRoom","size","lines","refcount","envelope","bodyStructure","headers","bodyOffset","authorAddress","authorUser","removedFrom"],
  ],
  "room-lists": [
    ["arrived","modseq"],
  ],
  "visits": [
    ["lastSeen","seen","answered","flagged","deleted","draft","keywords","isZapped","isInvited","mailMark","infoSeen","modseq"],
  ],
  "journal": [
    ["roomnum","msgnum","kind"],
    ["roomnum","msgnum","kind","usernum"],
  ],
  "queue": [
    ["msgnum","recipient","sender","attempts","firstAttempt","state"],
  ],
};

const RECORD_DEFINITION = [0xd4, 0x72]; // msgpackr: an inline key list follows
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'keep-shapes-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('record shapes', () => {
  it('only ever grow at the end of each list, at most 32 per database, no repeats', () => {
    for (const [db, pinned] of Object.entries(PINNED)) {
      const now = RECORD_SHAPES[db]!.map((s) => [...s]);
      expect(now.slice(0, pinned.length), db).toEqual(pinned);
      expect(now.length, db).toBeLessThanOrEqual(32);
      expect(new Set(now.map((s) => s.join())).size, db).toBe(now.length);
    }
  });

  it('store a record of a known shape by reference and any other shape inline; both read back after a reopen', async () => {
    const dataDir = tempDir();
    const known = { arrived: 1_700_000_000_000, modseq: 7 };
    const other = { arrived: 1_700_000_000_000, modseq: 8, deletedAt: 1_700_000_001_000 };
    let store = Store.open({ dataDir });
    await store.write(() => {
      store.dbs.roomLists.putSync([1, 1], known);
      store.dbs.roomLists.putSync([1, 2], other);
    });
    const knownBytes = store.dbs.roomLists.getBinary([1, 1])!;
    const otherBytes = store.dbs.roomLists.getBinary([1, 2])!;
    expect(knownBytes[0]).toBe(0x40); // shape #0 of room-lists
    expect(knownBytes.length).toBeLessThan(otherBytes.length);
    expect([...otherBytes.subarray(0, 2)]).toEqual(RECORD_DEFINITION);
    await store.close();
    store = Store.open({ dataDir });
    expect(store.dbs.roomLists.get([1, 1])).toEqual(known);
    expect(store.dbs.roomLists.get([1, 2])).toEqual(other);
    await store.close();
  });

  it('read records written before shapes existed (keys inline), mixed with new ones', async () => {
    const dataDir = tempDir();
    await Store.open({ dataDir }).close();
    const old: VisitRecord = { lastSeen: 5, seen: [[1, 5]], answered: [], flagged: [], deleted: [], draft: [], keywords: {}, isZapped: false, isInvited: false, mailMark: 0, infoSeen: 0, modseq: 3 };
    // the same database opened the way schema 2 did: no shapes
    const env = open({ path: join(dataDir, 'keep.mdb'), maxDbs: 32, noSubdir: false });
    const visits = env.openDB({ name: 'visits', encoding: 'msgpack', keyEncoding: 'ordered-binary' });
    await visits.put([1, 1], old);
    expect([...visits.getBinary([1, 1])!.subarray(0, 2)]).toEqual(RECORD_DEFINITION);
    await env.close();
    const store = Store.open({ dataDir });
    await store.write(() => { store.dbs.visits.putSync([1, 2], { ...old, lastSeen: 9 }); });
    expect(store.dbs.visits.getBinary([1, 2])![0]).toBe(0x40);
    expect(store.dbs.visits.get([1, 1])).toEqual(old);
    expect(store.dbs.visits.get([1, 2])).toEqual({ ...old, lastSeen: 9 });
    expect(store.dbs.visits.get([1, 1])).toEqual(old);
    await store.close();
  });

  it('read an old record whose inline keys differ from a shape, then write and read new ones correctly', async () => {
    const dataDir = tempDir();
    await Store.open({ dataDir }).close();
    // an old placement whose keys came in the other order: its inline definition takes the id of
    // room-lists shape #0 ({arrived, modseq}) while it is read
    const env = open({ path: join(dataDir, 'keep.mdb'), maxDbs: 32, noSubdir: false });
    const lists = env.openDB({ name: 'room-lists', encoding: 'msgpack', keyEncoding: 'ordered-binary' });
    await lists.put([1, 1], { modseq: 5, arrived: 111 });
    await env.close();
    let store = Store.open({ dataDir });
    expect(store.dbs.roomLists.get([1, 1])).toEqual({ modseq: 5, arrived: 111 }); // read first, as a server does
    await store.write(() => {
      store.dbs.roomLists.putSync([1, 2], { arrived: 222, modseq: 9 });
      store.dbs.roomLists.putSync([1, 3], { modseq: 6, arrived: 333 });
    });
    expect(store.dbs.roomLists.getBinary([1, 2])![0]).toBe(0x40);
    expect(store.dbs.roomLists.get([1, 2])).toStrictEqual({ arrived: 222, modseq: 9 });
    expect(store.dbs.roomLists.get([1, 1])).toStrictEqual({ modseq: 5, arrived: 111 });
    await store.close();
    store = Store.open({ dataDir });
    expect(store.dbs.roomLists.get([1, 2])).toStrictEqual({ arrived: 222, modseq: 9 });
    expect(store.dbs.roomLists.get([1, 3])).toStrictEqual({ modseq: 6, arrived: 333 });
    expect(store.dbs.roomLists.get([1, 1])).toStrictEqual({ modseq: 5, arrived: 111 });
    await store.close();
  });

  it('refuse a write rather than add a shape only this process would know, then go back to the fixed shapes', async () => {
    const dataDir = tempDir();
    let store = Store.open({ dataDir });
    // what lmdb-js does to an encoder when a database is cleared: its shapes are gone
    (store.dbs.journal as unknown as { encoder: { structures: unknown[] } }).encoder.structures = [];
    const entry = { roomnum: 1, msgnum: 1, kind: 'placed' as const };
    await expect(store.write(() => { store.dbs.journal.putSync(1, entry); })).rejects.toThrow(/refusing to add a record shape/);
    expect(store.dbs.journal.get(1)).toBeUndefined();
    await store.write(() => { store.dbs.journal.putSync(1, entry); });
    expect(store.dbs.journal.getBinary(1)![0]).toBe(0x40); // journal shape #0 again
    await store.close();
    store = Store.open({ dataDir });
    expect(store.dbs.journal.get(1)).toStrictEqual(entry);
    await store.close();
  });
});
