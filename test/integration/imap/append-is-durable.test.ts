// APPEND answers OK only after the durable commit: 40 pipelined APPENDs are in flight when the
// worker is killed with SIGKILL after the first OKs; every APPENDUID acknowledged before the
// kill is in the folder when the restarted worker serves the next session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => { keep = await startWithUsers(['alice']); });
afterAll(async () => { await keep?.stop(); });

describe('IMAP APPEND durability', () => {
  it('keeps every acknowledged APPEND across a worker kill -9', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    const first = await keep.workerPid();
    const body = `${'durable line\r\n'.repeat(200)}`;
    let batch = '';
    for (let i = 0; i < 40; i++) {
      const msg = `Subject: durable ${i}\r\nMessage-ID: <d${i}@keep.test>\r\n\r\n${body}`;
      batch += `p${i} APPEND INBOX {${msg.length}+}\r\n${msg}\r\n`;
    }
    r.sock.write(batch);
    await r.until((b) => (b.match(/^p\d+ OK/gm) ?? []).length >= 3, 15_000);
    process.kill(first, 'SIGKILL');
    const acked = [...r.buf.matchAll(/^p\d+ OK \[APPENDUID \d+ (\d+)\]/gm)].map((m) => Number(m[1]));
    expect(acked.length).toBeGreaterThanOrEqual(3);
    r.close();
    await keep.waitForLog((l) => l.msg === 'worker ready' && l.pid !== first, 10_000);
    const r2 = await Raw.open(keep.ports.imap);
    await r2.cmd('b', 'LOGIN alice alice-pw');
    await r2.cmd('c', 'SELECT INBOX');
    const present = new Set((/\* SEARCH([\d ]*)/.exec(await r2.cmd('d', 'UID SEARCH ALL'))![1] ?? '').trim().split(' ').map(Number));
    for (const uid of acked) expect(present.has(uid)).toBe(true);
    r2.close();
  });
});
