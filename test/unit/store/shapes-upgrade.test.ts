// A store written before record shapes (schema 2: every record with its keys inline) upgrades
// intact: realistic records from core (posts, chat, MIME mail with an attachment, queued mail,
// read state, a deletion) are rewritten inline as schema 2 stored them, then the store is opened
// by this code, every record read, every record written back and the store reopened: nothing
// changes, and the rewritten records are stored by shape.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { open } from 'lmdb';
import { SCHEMA_VERSION, Store } from '../../../src/store/index.ts';
import { coreFixture } from '../../helpers/core-fixture.ts';

/** the msgpack databases by their Dbs name and their name in the environment */
const MSGPACK_DBS: Record<string, string> = {
  meta: 'meta', users: 'users', userNames: 'user-names', rooms: 'rooms', roomNames: 'room-names', floors: 'floors',
  messages: 'messages', texts: 'texts', roomLists: 'room-lists', visits: 'visits', messageIds: 'message-ids',
  queue: 'queue', audit: 'audit', journal: 'journal', webSessions: 'web-sessions',
};

function everything(store: Store): Record<string, [unknown, unknown][]> {
  const out: Record<string, [unknown, unknown][]> = {};
  for (const name of Object.keys(MSGPACK_DBS)) {
    const db = store.dbs[name as keyof Store['dbs']] as unknown as { getRange(): Iterable<{ key: unknown; value: unknown }> };
    out[name] = [...db.getRange()].map(({ key, value }) => [key, value]);
  }
  return out;
}

const MIME = [
  'From: Carol <carol@remote.example>', 'To: alice@keep.test', 'Subject: a report', 'Message-ID: <r1@remote.example>',
  'Date: Wed, 25 Nov 2026 10:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
  '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'See the attachment.', '',
  '--b1', 'Content-Type: application/pdf; name="r.pdf"', 'Content-Disposition: attachment; filename="r.pdf"', 'Content-Transfer-Encoding: base64', '',
  'JVBERi0xLjQK', '--b1--', '',
].join('\r\n');

describe('a store from before record shapes', () => {
  it('upgrades intact: every record reads, rewrites and reopens unchanged, and is then stored by shape', async () => {
    const f = await coreFixture();
    const { core, system } = f;
    const alice = await f.user('alice');
    const bob = await f.user('bob');
    const room = await core.rooms.create(system, { name: 'Upgrade', kind: 'public' });
    const posts = [];
    for (let i = 0; i < 3; i++) posts.push(await core.messages.post(alice.actor, { roomnum: room.roomnum, text: `post ${i}`, subject: `s${i}` }));
    await core.chat.say(bob.actor, room.roomnum, 'a chat line');
    await core.delivery.inbound(system, { raw: Buffer.from(MIME), sender: 'carol@remote.example', recipients: [core.delivery.resolve('alice@keep.test')] });
    await core.delivery.submit(alice.actor, {
      raw: Buffer.from('From: alice@keep.test\r\nTo: bob@keep.test, dave@remote.example\r\nSubject: hi\r\n\r\nhello\r\n'),
      sender: 'alice@keep.test', recipients: [core.delivery.resolve('bob@keep.test'), core.delivery.resolve('dave@remote.example')],
    });
    await core.visits.setLastSeen(bob.actor, room.roomnum, posts[1]!.msgnum);
    await core.messages.removeFromRoom(system, room.roomnum, [posts[0]!.msgnum]);
    const dir = f.dir;
    const original = everything(f.store);
    await f.store.close();

    // write every record back the way schema 2 did: no shapes, keys inline
    const env = open({ path: join(dir, 'keep.mdb'), maxDbs: 32, noSubdir: false });
    for (const [name, file] of Object.entries(MSGPACK_DBS)) {
      const db = env.openDB({ name: file, encoding: 'msgpack', keyEncoding: 'ordered-binary' });
      await env.transaction(() => {
        for (const [k, v] of original[name]!) db.putSync(k as never, v);
        if (name === 'meta') db.putSync('schemaVersion', 2);
      });
    }
    const messages = env.openDB({ name: 'messages', encoding: 'msgpack', keyEncoding: 'ordered-binary' });
    expect([...messages.getBinary(posts[1]!.msgnum)!.subarray(0, 2)]).toEqual([0xd4, 0x72]);
    await env.close();

    let store = Store.open({ dataDir: dir });
    expect(store.dbs.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    const read = everything(store);
    expect(read).toStrictEqual({ ...original, meta: read.meta });
    expect(read.meta).toStrictEqual(original.meta!.map(([k, v]) => [k, k === 'schemaVersion' ? SCHEMA_VERSION : v]));
    await store.write(() => {
      for (const [name, rows] of Object.entries(read)) {
        const db = store.dbs[name as keyof Store['dbs']] as unknown as { putSync(k: unknown, v: unknown): void };
        for (const [k, v] of rows) db.putSync(k, v);
      }
    });
    expect(everything(store)).toStrictEqual(read);
    await store.close();
    store = Store.open({ dataDir: dir });
    expect(everything(store)).toStrictEqual(read);
    for (const p of posts.slice(1)) expect(store.dbs.messages.getBinary(p.msgnum)![0]).toBeGreaterThanOrEqual(0x40);
    await store.close();
    await f.close();
  });
});
