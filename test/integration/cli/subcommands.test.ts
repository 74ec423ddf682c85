import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeepSession } from '../../../clients/cli/src/api/session.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { clientEnv, runKeep } from './run-keep.ts';

let keep: Keep;
let admin: Record<string, string>;
let bob: Record<string, string>;

beforeAll(async () => {
  keep = await startKeep();
  const added = await Promise.all(['bob', 'carol'].map((name) => keep.cli(['user', 'add', name, '--password', `${name}-pw`])));
  expect(added.map((r) => r.code)).toEqual([0, 0]);
  admin = clientEnv(keep.ports.native, 'admin', 'admin-secret');
  bob = clientEnv(keep.ports.native, 'bob', 'bob-pw');
}, 120_000); // a loaded machine starts keepd slowly
afterAll(async () => { await keep?.stop(); });

interface MessageJson { msgnum: number; from: string; subject: string; time: string; text: string }

async function readJson(env: Record<string, string>, args: string[]): Promise<MessageJson[]> {
  const run = await runKeep(['read', ...args, '--json'], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as MessageJson[];
}

describe('keep subcommands against keepd', { timeout: 180_000 }, () => { // each test spawns several clients; a loaded machine is slow
  it('whoami names the logged-in user, as text and as JSON', async () => {
    const text = await runKeep(['whoami'], bob);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^bob \(network user\) on /);
    const json = JSON.parse((await runKeep(['whoami', '--json'], admin)).stdout) as { user: string; accessLevel: number };
    expect(json).toMatchObject({ user: 'admin', accessLevel: 6 });
  });

  it('rooms lists the known rooms', async () => {
    const rooms = JSON.parse((await runKeep(['rooms', '--json'], bob)).stdout) as { name: string; hasNew: boolean }[];
    expect(rooms.map((r) => r.name)).toEqual(expect.arrayContaining(['Lobby', 'Mail']));
    expect((await runKeep(['rooms'], bob)).stdout).toMatch(/^[ *] Lobby$/m);
  });

  it('post stores standard input and read returns it with msgnum, from, subject, time and text', async () => {
    const before = Date.now();
    const posted = await runKeep(['post', 'Lobby', '--subject', 'Soup tonight'], admin, 'Lentil soup at seven.\nBring bowls.\n');
    expect(posted).toMatchObject({ code: 0, stderr: '' });
    expect(posted.stdout).toBe('Message posted in Lobby.\n');
    const messages = await readJson(bob, ['Lobby']);
    const soup = messages.find((m) => m.subject === 'Soup tonight');
    expect(soup).toMatchObject({ from: 'admin', text: 'Lentil soup at seven.\nBring bowls.' });
    expect(soup!.msgnum).toBeGreaterThan(0);
    expect(Date.parse(soup!.time)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const plain = await runKeep(['read', 'Lobby', '--last', '1'], bob);
    expect(plain.stdout).toMatch(/^#\d+ \S+ \S+ from admin\nSubject: Soup tonight\n\nLentil soup at seven\.\nBring bowls\.\n/);
  });

  it('post, mail and page answer --json too', async () => {
    const posted = await runKeep(['post', 'Lobby', '--json'], admin, 'json post\n');
    expect(JSON.parse(posted.stdout)).toEqual({ ok: true, room: 'Lobby' });
    const mailed = await runKeep(['mail', 'bob', '--json'], admin, 'json mail\n');
    expect(JSON.parse(mailed.stdout)).toEqual({ ok: true, to: 'bob' });
  });

  it('read --last N returns the newest N messages in order', async () => {
    for (const n of [1, 2, 3]) expect((await runKeep(['post', 'Lobby', '--subject', `count ${n}`], admin, `number ${n}\n`)).code).toBe(0);
    const last = await readJson(bob, ['Lobby', '--last', '2']);
    expect(last.map((m) => m.subject)).toEqual(['count 2', 'count 3']);
    expect(last[0]!.msgnum).toBeLessThan(last[1]!.msgnum);
  });

  it('read --new shows unread messages once, then marks them read', async () => {
    const carol = clientEnv(keep.ports.native, 'carol', 'carol-pw');
    expect((await runKeep(['post', 'Lobby', '--subject', 'fresh'], admin, 'new for carol\n')).code).toBe(0);
    const first = await readJson(carol, ['Lobby', '--new']);
    expect(first.map((m) => m.subject)).toContain('fresh');
    expect(await readJson(carol, ['Lobby', '--new'])).toEqual([]);
    expect((await runKeep(['post', 'Lobby', '--subject', 'fresher'], admin, 'second\n')).code).toBe(0);
    expect((await readJson(carol, ['Lobby', '--new'])).map((m) => m.subject)).toEqual(['fresher']);
  });

  it('mail delivers standard input to the user\'s Mail room', async () => {
    const sent = await runKeep(['mail', 'bob', '--subject', 'Private'], admin, 'Just for you.\n');
    expect(sent).toMatchObject({ code: 0, stdout: 'Mail sent to bob.\n' });
    const mail = await readJson(bob, ['Mail']);
    expect(mail.find((m) => m.subject === 'Private')).toMatchObject({ from: 'admin', text: 'Just for you.' });
  });

  it('page reaches a user who is online, and who lists that user', async () => {
    const online = await KeepSession.open({ host: '127.0.0.1', port: keep.ports.native, tls: 'off', timeoutMs: 5000, user: 'bob', password: 'bob-pw' });
    try {
      const who = JSON.parse((await runKeep(['who', '--json'], admin)).stdout) as { user: string }[];
      expect(who.map((w) => w.user)).toContain('bob');
      expect((await runKeep(['who'], admin)).stdout).toMatch(/^bob\s/m);
      const paged = await runKeep(['page', 'bob', 'lunch', 'is', 'ready'], admin);
      expect(paged).toMatchObject({ code: 0, stdout: 'Message sent to bob.\n' });
      expect(await online.noop()).toBe(true);
      expect(await online.nextInstantMessage()).toMatchObject({ from: 'admin', text: 'lunch is ready' });
    } finally {
      await online.close();
    }
  });
});
