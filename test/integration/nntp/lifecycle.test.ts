// NNTP and the rest of Keep: reading an article marks it seen for every protocol (shared visit
// record), and a server shutdown says goodbye in NNTP's words (400) before closing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { connect, postText, startNntpKeep, withCore } from './fixture.ts';

let keep: Keep;
let nums: number[];
beforeAll(async () => {
  keep = await startNntpKeep();
  nums = await postText(keep, 'Kitchen', [{ subject: 'one', text: 'one' }, { subject: 'two', text: 'two' }]);
});
afterAll(async () => { await keep?.stop(); });

async function seenBy(user: string): Promise<boolean[]> {
  return withCore(keep, async (core) => {
    const u = core.users.find(user)!;
    const room = core.rooms.findByName({ kind: 'system', name: 't', origin: 't' }, 'Kitchen')!;
    const seen = core.visits.get(u.usernum, room.roomnum).seen;
    return nums.map((n) => seen.some(([a, b]) => n >= a && n <= b));
  });
}

describe('NNTP and shared read state', () => {
  it('marks an article read with ARTICLE or BODY as seen for the user, not one only looked at with HEAD', async () => {
    const c = await connect(keep, 'alice');
    await c.cmd('GROUP keep.main-floor.kitchen');
    expect((await c.cmd(`HEAD ${nums[1]}`)).code).toBe(221);
    expect((await c.cmd(`ARTICLE ${nums[0]}`)).code).toBe(220);
    let seen: boolean[] = [];
    for (let i = 0; i < 50; i++) { // the seen write is batched after the reply: poll, bounded
      seen = await seenBy('alice');
      if (seen[0]) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toEqual([true, false]);
    expect(await seenBy('bob')).toEqual([false, false]);
    c.close();
  });
});

describe('NNTP at shutdown', () => {
  it('sends 400 to connected readers and closes', async () => {
    const c = await connect(keep, 'bob');
    const stopped = keep.stop();
    const r = await c.reply(false, 15_000);
    expect(r.code).toBe(400);
    await c.waitClosed(15_000);
    expect(await stopped).toBe(0);
  });
});
