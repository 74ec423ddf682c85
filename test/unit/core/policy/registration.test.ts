// Self-registration policy and the Internet-mail level and hourly limit, on a real store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../../src/store/index.ts';
import { createCore, systemActor, type Actor, type Core, type CoreSettings, type User } from '../../../../src/core/index.ts';
import { addressOf } from '../../../../src/core/policy/hourly.ts';

const open: { store: Store; dir: string }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

async function coreWith(settings: Partial<CoreSettings>): Promise<Core> {
  const dir = mkdtempSync(join(tmpdir(), 'keep-policy-'));
  const store = Store.open({ dataDir: dir });
  open.push({ store, dir });
  const core = createCore({
    store, log: pino({ level: 'silent' }),
    settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000, ...settings },
  });
  await core.seed({ name: 'admin', password: 'admin-secret' });
  return core;
}

const actorOf = (u: User, origin = 'native:10.0.0.1'): Actor => ({ kind: 'user', usernum: u.usernum, name: u.name, level: u.level, origin });
const kindOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { kind?: string }) => e.kind ?? 'thrown');

describe('registration', () => {
  it('makes level 1 accounts awaiting validation by default, level 3 when open', async () => {
    const core = await coreWith({});
    const u = await core.registration.register('native:10.0.0.1', 'Newbie');
    expect(u).toMatchObject({ level: 1, isValidated: false });
    expect(core.users.unvalidated(systemActor()).map((x) => x.name)).toEqual(['Newbie']);
    const openCore = await coreWith({ registration: 'open' });
    expect(await openCore.registration.register('native:10.0.0.1', 'Local')).toMatchObject({ level: 3, isValidated: true });
  });

  it('refuses everything when closed', async () => {
    const core = await coreWith({ registration: 'closed' });
    expect(core.registration.isOpen()).toBe(false);
    expect(await kindOf(core.registration.register('native:10.0.0.1', 'Anyone'))).toBe('forbidden');
  });

  it('counts accounts made per address; a refused name costs nothing; the trip is audited once', async () => {
    const core = await coreWith({ registrationPerHour: 2 });
    expect(await kindOf(core.registration.register('native:10.0.0.1', 'bad|name'))).toBe('invalid');
    await core.registration.register('native:10.0.0.1', 'One');
    await core.registration.register('imap:10.0.0.1', 'Two');
    expect(await kindOf(core.registration.register('native:10.0.0.1', 'Three'))).toBe('limit');
    expect(await kindOf(core.registration.register('native:10.0.0.1', 'Four'))).toBe('limit');
    await core.registration.register('native:10.0.0.2', 'Elsewhere');
    const trips = core.audit.list(systemActor()).filter((e) => e.action === 'registration.throttled');
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ target: '10.0.0.1', origin: 'native:10.0.0.1' });
  });

  it('holds the per-address limit against registrations sent at the same moment', async () => {
    const core = await coreWith({ registrationPerHour: 2 });
    const results = await Promise.all(['A1', 'A2', 'A3', 'A4', 'A5'].map((n) => kindOf(core.registration.register('native:10.0.0.9', n))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    expect(results.filter((r) => r === 'limit')).toHaveLength(3);
  });
});

describe('hourly counts across a restart', () => {
  it('remembers registrations and Internet recipients when core is made afresh on the same store', async () => {
    const settings = { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000, registrationPerHour: 2, sendPerHour: 2 };
    const core = await coreWith(settings);
    await core.registration.register('native:10.0.0.5', 'First');
    const sender = await core.users.create(systemActor(), { name: 'Sender', password: 'pw', level: 4 });
    await core.messages.mail(actorOf(sender), { to: ['a@remote.example', 'b@remote.example'], text: 'two' });
    // a worker restart: a new core over the same store, as a respawned worker opens it
    const restarted = createCore({ store: open.at(-1)!.store, log: pino({ level: 'silent' }), settings });
    await restarted.registration.register('native:10.0.0.5', 'Second');
    expect(await kindOf(restarted.registration.register('native:10.0.0.5', 'Third'))).toBe('limit');
    expect(await kindOf(restarted.messages.mail(actorOf(sender), { to: ['c@remote.example'], text: 'three' }))).toBe('limit');
  });
});

describe('Internet mail policy', () => {
  it('needs the configured level, refuses problem users, and counts recipients per hour', async () => {
    const core = await coreWith({ sendPerHour: 3 });
    const newbie = await core.registration.register('native:10.0.0.1', 'Newbie');
    expect(await kindOf(core.messages.mail(actorOf(newbie), { to: ['x@remote.example'], text: 'hi' }))).toBe('forbidden');
    // local mail is fine for a new user
    expect(await kindOf(core.messages.mail(actorOf(newbie), { to: ['admin'], text: 'validate me' }))).toBe('ok');
    await core.users.setLevel(systemActor(), newbie.usernum, 4);
    // the actor still says level 1: the policy reads the level afresh
    expect(await kindOf(core.messages.mail(actorOf(newbie), { to: ['a@remote.example', 'b@remote.example'], text: '2' }))).toBe('ok');
    expect(await kindOf(core.sendPolicy.checkInternet(actorOf(newbie), 2, { isDryRun: true }))).toBe('limit');
    expect(await kindOf(core.messages.mail(actorOf(newbie), { to: ['c@remote.example'], text: '3' }))).toBe('ok');
    expect(await kindOf(core.messages.mail(actorOf(newbie), { to: ['d@remote.example'], text: '4' }))).toBe('limit');
    expect(core.audit.list(systemActor()).filter((e) => e.action === 'send.throttled')).toHaveLength(1);
    await core.users.setLevel(systemActor(), newbie.usernum, 2);
    expect(await kindOf(core.messages.mail(actorOf(newbie), { to: ['e@remote.example'], text: 'relay' }))).toBe('forbidden');
    const strict = await coreWith({ internetMailLevel: 2 });
    const u = await strict.users.create(systemActor(), { name: 'Prob', password: 'pw', level: 2 });
    expect(await kindOf(strict.messages.mail(actorOf(u), { to: ['x@remote.example'], text: 'relay' }))).toBe('forbidden');
  });

  it('lets an unvalidated user page aides only', async () => {
    const core = await coreWith({});
    const newbie = await core.registration.register('native:10.0.0.1', 'Newbie');
    const bob = await core.users.create(systemActor(), { name: 'Bob', password: 'pw' });
    const admin = core.users.get('admin');
    for (const u of [bob, admin]) core.presence.open({ proto: 'native', host: '127.0.0.1', client: 't' }).update({ usernum: u.usernum, name: u.name });
    expect(await kindOf(Promise.resolve().then(() => core.pages.send(actorOf(newbie), 'Bob', 'hi')))).toBe('forbidden');
    expect(core.pages.send(actorOf(newbie), 'admin', 'please validate me')).toBe(1);
    expect(await kindOf(core.direct.open(actorOf(newbie), 'Bob'))).toBe('forbidden');
    expect(await kindOf(core.direct.open(actorOf(newbie), 'admin'))).toBe('ok');
  });
});

describe('addressOf', () => {
  it.each([
    ['native:127.0.0.1', '127.0.0.1'],
    ['smtp:::ffff:10.0.0.1', '10.0.0.1'],
    ['imap:::1', '::1'],
    ['web:2001:db8::7', '2001:db8::7'],
  ])('reads %s as %s', (origin, address) => {
    expect(addressOf(origin)).toBe(address);
  });
});
