// Login throttling keyed on the canonical account and on the address; room passwords hashed,
// throttled and audited (and migrated from clear text); duplicate Message-IDs indexed apart.
import { open } from 'lmdb';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { Store } from '../../../../src/store/index.ts';
import { createCore, systemActor } from '../../../../src/core/index.ts';
import { pino } from 'pino';
import { actorOf, coreFixture, type Fixture } from '../../../helpers/core-fixture.ts';

let f: Fixture;
beforeEach(async () => { f = await coreFixture(); }); // throttle: 3 failures a minute
afterEach(async () => { await f.close(); });

const kindOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { kind?: string }) => e.kind ?? 'thrown');
const login = (name: string, password: string, origin = 'imap:10.0.0.1') => kindOf(f.core.users.authenticate({ name, password, origin }));

describe('users.authenticate throttling', () => {
  it('counts an account once under any of its names or addresses', async () => {
    await f.user('Alice');
    expect(await login('alice', 'x', 'imap:10.0.0.1')).toBe('bad-credentials');
    expect(await login('alice@keep.test', 'x', 'imap:10.0.0.2')).toBe('bad-credentials');
    expect(await login('ALICE', 'x', 'imap:10.0.0.3')).toBe('bad-credentials');
    // the account is locked from a fourth address, right password or not
    expect(await login('alice@keep.test', 'Alice-pw', 'imap:10.0.0.4')).toBe('limit');
  });

  it('never clears the address when the attacker logs into an account of their own', async () => {
    await f.user('Alice');
    await f.user('Mallory');
    expect(await login('alice', 'guess1')).toBe('bad-credentials');
    expect(await login('alice', 'guess2')).toBe('bad-credentials');
    expect(await login('Mallory', 'Mallory-pw')).toBe('ok');
    expect(await login('alice', 'guess3')).toBe('bad-credentials');
    expect(await login('alice', 'Alice-pw')).toBe('limit');
    expect(await login('Mallory', 'Mallory-pw')).toBe('limit'); // the address is locked for everyone
    expect(await login('Mallory', 'Mallory-pw', 'imap:10.0.0.9')).toBe('ok');
    const trips = f.core.audit.list(f.system).filter((e) => e.action === 'login.throttled');
    expect(trips).toHaveLength(2);
    expect(trips.map((e) => e.target)).toEqual(expect.arrayContaining(['addr:10.0.0.1', expect.stringMatching(/^user:#\d+$/)]));
  });

  it('answers an unknown account like a wrong password', async () => {
    expect(await login('nobody-here', 'x')).toBe('bad-credentials');
  });
});

describe('room passwords', () => {
  it('are stored hashed, checked, throttled per account and address, and every wrong one audited', async () => {
    const vault = await f.core.rooms.create(f.system, { name: 'Vault', kind: 'private-password', password: 'open-sesame' });
    const rec = f.store.dbs.rooms.get(vault.roomnum)!;
    expect(rec.password).toBeUndefined();
    expect(rec.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(rec)).not.toContain('open-sesame');
    const eve = actorOf((await f.user('Eve')).user, 'native:10.0.0.5');
    for (const guess of ['a', 'b', 'c']) expect(await kindOf(f.core.rooms.enter(eve, 'Vault', guess))).toBe('bad-credentials');
    expect(await kindOf(f.core.rooms.enter(eve, 'Vault', 'open-sesame'))).toBe('limit');
    const bob = actorOf((await f.user('Bob')).user, 'native:10.0.0.6');
    expect(await kindOf(f.core.rooms.enter(bob, 'Vault', 'open-sesame'))).toBe('ok');
    const failures = f.core.rooms.passwordFailures(f.system, vault.roomnum);
    expect(failures.map((x) => x.user)).toEqual(['Eve', 'Eve', 'Eve']);
    expect(failures[0]!.origin).toBe('native:10.0.0.5');
    expect(await kindOf(Promise.resolve().then(() => f.core.rooms.passwordFailures(eve, vault.roomnum)))).toBe('forbidden');
    await f.core.rooms.update(f.system, vault.roomnum, { password: 'new-one' });
    expect(await kindOf(f.core.rooms.enter(actorOf((await f.user('Cid')).user, 'native:10.0.0.7'), 'Vault', 'new-one'))).toBe('ok');
  });

  it('in clear from an older store are hashed by the schema 4 migration', async () => {
    const vault = await f.core.rooms.create(f.system, { name: 'Old Vault', kind: 'private-password', password: 'x' });
    const dir = f.dir;
    await f.store.close();
    const env = open({ path: join(dir, 'keep.mdb'), maxDbs: 32, noSubdir: false });
    const rooms = env.openDB({ name: 'rooms', encoding: 'msgpack', keyEncoding: 'ordered-binary' });
    const meta = env.openDB({ name: 'meta', encoding: 'msgpack', keyEncoding: 'ordered-binary' });
    await env.transaction(() => {
      const { passwordHash: _h, ...old } = rooms.get(vault.roomnum) as Record<string, unknown>;
      rooms.putSync(vault.roomnum, { ...old, password: 'clear-secret' });
      meta.putSync('schemaVersion', 3);
    });
    await env.close();
    const store = Store.open({ dataDir: dir });
    onTestFinished(() => store.close());
    const rec = store.dbs.rooms.get(vault.roomnum)!;
    expect(rec.password).toBeUndefined();
    expect(rec.passwordHash).toMatch(/^scrypt\$/);
    const core = createCore({ store, log: pino({ level: 'silent' }), settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1e6, newUserLevel: 3, softDeleteMs: 1000 } });
    const u = await core.users.create(systemActor(), { name: 'Dan', password: 'pw' });
    expect(await kindOf(core.rooms.enter(actorOf(u), 'Old Vault', 'clear-secret'))).toBe('ok');
  });
});

describe('Message-ID index', () => {
  it('keeps a duplicate from another author under its own entry; a lookup returns what the reader may read', async () => {
    const secret = await f.core.rooms.create(f.system, { name: 'Secret', kind: 'private-invite' });
    const lobby = f.core.rooms.findByName(f.system, 'Lobby')!;
    const mallory = actorOf((await f.user('Mallory')).user);
    const alice = actorOf((await f.user('Alice')).user);
    const raw = (from: string, body: string) => Buffer.from(`From: ${from}\r\nSubject: s\r\nMessage-ID: <claimed@keep.test>\r\n\r\n${body}\r\n`);
    const first = await f.internals.messages.deliver(f.system, { kind: 'external', raw: raw('boss@keep.test', 'the real one'), roomnums: [secret.roomnum] });
    const second = await f.core.messages.postRaw(mallory, { raw: raw('mallory@keep.test', 'claimed'), roomnums: [lobby.roomnum] });
    expect(f.core.messages.findByMessageId(f.system, '<claimed@keep.test>')!.msgnum).toBe(first.msgnum);
    expect(f.core.messages.findByMessageId(alice, 'claimed@keep.test')!.msgnum).toBe(second.msgnum);
    await f.core.rooms.setInvited(f.system, secret.roomnum, (alice as { usernum: number }).usernum, true);
    expect(f.core.messages.findByMessageId(alice, 'claimed@keep.test')!.msgnum).toBe(first.msgnum);
  });
});

describe('message numbers', () => {
  it('answer the same whether a message is gone or in a room the reader may not read', async () => {
    const secret = await f.core.rooms.create(f.system, { name: 'Secret', kind: 'private-invite' });
    const lobby = f.core.rooms.findByName(f.system, 'Lobby')!;
    const hidden = await f.core.messages.post(f.system, { roomnum: secret.roomnum, text: 'x' });
    const eve = actorOf((await f.user('Eve')).user);
    const err = (fn: () => unknown) => { try { fn(); return undefined; } catch (e) { return { kind: (e as { kind: string }).kind, message: (e as Error).message.replace(/\d+/g, 'N') }; } };
    expect(err(() => f.core.messages.get(eve, hidden.msgnum, lobby.roomnum))).toEqual(err(() => f.core.messages.get(eve, hidden.msgnum + 1000, lobby.roomnum)));
    expect(err(() => f.core.messages.get(eve, hidden.msgnum))).toEqual(err(() => f.core.messages.get(eve, hidden.msgnum + 1000)));
    expect(f.core.rooms.findByName(eve, 'Secret')).toBeUndefined();
  });
});
