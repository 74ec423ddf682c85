// Durable acknowledgement on every protocol (issue 18): once a protocol has said a post is taken
// (native's reply after the text, NNTP 240, IMAP APPEND OK, SMTP 250 after DATA, chat `sent`),
// the message survives the worker being killed with SIGKILL right after, and reads back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { coreOn } from '../../helpers/core-fixture.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { post, POSTERS, read, type Proto, type Room } from './contract-clients.ts';

let keep: Keep;
const room: Room = { name: 'Durable', group: 'keep.main-floor.durable', folder: 'Public/Durable', address: 'durable@keep.test' };

beforeAll(async () => {
  keep = await startKeep();
  const { core, close } = coreOn(keep.dataDir);
  try {
    for (const name of ['alice', 'bob']) await core.users.create(systemActor('test'), { name, password: `${name}-pw` });
    const r = await core.rooms.create(systemActor('test'), { name: room.name, kind: 'public' });
    await core.rooms.update(systemActor('test'), r.roomnum, { listAddress: 'durable' });
  } finally {
    await close();
  }
});
afterAll(async () => {
  await keep?.stop();
});

/** SIGKILL the worker and wait for its replacement to be ready. */
async function killWorker(): Promise<void> {
  const pid = await keep.workerPid();
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  await keep.waitForLog((l) => l.msg === 'worker ready' && l.pid !== pid && (l.time as number) >= killedAt);
}

describe.each(POSTERS)('a post acknowledged through %s', (poster: Proto) => {
  it('survives kill -9 of the worker right after the acknowledgement', async () => {
    const t = `tok${Math.random().toString(36).slice(2, 10)}`;
    await post(keep, poster, 'alice', room, { subject: `Durable ${t}`, body: [`${t} must survive`] });
    await killWorker();
    const got = await read(keep, 'native', 'bob', room, t);
    expect(got.body.join(' ')).toContain(`${t} must survive`);
    expect(got.name).toBe('alice');
  });
});
