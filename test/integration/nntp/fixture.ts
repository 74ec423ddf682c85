// Shared setup for the NNTP integration tests: a running keepd, users, rooms, and a way to add
// native text posts (through core on the same LMDB store, as the native protocol would).
import { pino } from 'pino';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { Store } from '../../../src/store/index.ts';
import { createCore, systemActor, type Core } from '../../../src/core/index.ts';
import { NntpClient } from './nntp-client.ts';

/** keepd with users alice, bob (level 3), newbie (level 1), rooms Kitchen, News (read-only), Secret Room (private). */
export async function startNntpKeep(env: Record<string, string> = {}): Promise<Keep> {
  const keep = await startKeep({ env });
  // set up through core in this process (one store open) rather than six CLI processes
  await withCore(keep, async (core) => {
    const system = systemActor('test');
    for (const [name, level] of [['alice', 3], ['bob', 3], ['newbie', 1]] as const) {
      await core.users.create(system, { name, password: `${name}-pw`, level });
    }
    await core.rooms.create(system, { name: 'Kitchen', kind: 'public' });
    await core.rooms.create(system, { name: 'News', kind: 'public', isReadOnly: true });
    await core.rooms.create(system, { name: 'Secret Room', kind: 'private-invite' });
  });
  return keep;
}

/** Run fn with a core opened on the running server's store (LMDB allows several processes). */
export async function withCore<T>(keep: Keep, fn: (core: Core) => Promise<T>): Promise<T> {
  const store = Store.open({ dataDir: keep.dataDir });
  try {
    const core = createCore({
      store, log: pino({ level: 'silent' }),
      settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000 },
    });
    return await fn(core);
  } finally {
    await store.close();
  }
}

export async function connect(keep: Keep, user?: string): Promise<NntpClient> {
  const c = await NntpClient.connect(keep.ports.nntp);
  if (user) await c.login(user, `${user}-pw`);
  return c;
}

/** Post native text messages into a room through core on the server's store; returns msgnums. */
export async function postText(keep: Keep, roomName: string, posts: { subject: string; text: string }[]): Promise<number[]> {
  return withCore(keep, async (core) => {
    const actor = systemActor('test');
    const room = core.rooms.findByName(actor, roomName);
    if (!room) throw new Error(`no room ${roomName}`);
    const out: number[] = [];
    for (const p of posts) out.push((await core.messages.post(actor, { roomnum: room.roomnum, ...p })).msgnum);
    return out;
  });
}

export function article(opts: { groups: string; subject: string; from?: string; body: string[]; extra?: string[] }): string[] {
  return [
    `From: ${opts.from ?? 'Alice <alice@keep.test>'}`,
    `Newsgroups: ${opts.groups}`,
    `Subject: ${opts.subject}`,
    ...(opts.extra ?? []),
    '',
    ...opts.body,
  ];
}
