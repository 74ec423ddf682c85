// Shared setup for the NNTP integration tests: a running keepd, users, rooms, and a way to add
// native text posts (through core on the same LMDB store, as the native protocol would).
import { pino } from 'pino';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { Store } from '../../../src/store/index.ts';
import { createCore, systemActor } from '../../../src/core/index.ts';
import { NntpClient } from './nntp-client.ts';

export async function startNntpKeep(env: Record<string, string> = {}): Promise<Keep> {
  const keep = await startKeep({ env });
  for (const args of [
    ['user', 'add', 'alice', '--password', 'alice-pw'],
    ['user', 'add', 'bob', '--password', 'bob-pw'],
    ['user', 'add', 'newbie', '--password', 'newbie-pw', '--level', '1'],
    ['room', 'add', 'Kitchen'],
    ['room', 'add', 'News', '--read-only'],
    ['room', 'add', 'Secret Room', '--kind', 'private-invite'],
  ]) {
    const r = await keep.cli(args);
    if (r.code !== 0) throw new Error(`keepd ${args.join(' ')}: ${r.stderr}`);
  }
  return keep;
}

export async function connect(keep: Keep, user?: string): Promise<NntpClient> {
  const c = await NntpClient.connect(keep.ports.nntp);
  if (user) await c.login(user, `${user}-pw`);
  return c;
}

/** Post native text messages into a room through core on the server's store; returns msgnums. */
export async function postText(keep: Keep, roomName: string, posts: { subject: string; text: string }[]): Promise<number[]> {
  const store = Store.open({ dataDir: keep.dataDir });
  try {
    const core = createCore({
      store, log: pino({ level: 'silent' }),
      settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1_000_000, newUserLevel: 3, softDeleteMs: 1000 },
    });
    const actor = systemActor('test');
    const room = core.rooms.findByName(actor, roomName);
    if (!room) throw new Error(`no room ${roomName}`);
    const out: number[] = [];
    for (const p of posts) out.push((await core.messages.post(actor, { roomnum: room.roomnum, ...p })).msgnum);
    return out;
  } finally {
    await store.close();
  }
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
