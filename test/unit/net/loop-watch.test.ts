import { describe, expect, it } from 'vitest';
import { watchLoop } from '../../../src/net/loop-watch.ts';
import { currentWork } from '../../../src/net/current-work.ts';
import type { Logger } from '../../../src/log/index.ts';

function fakeLog() {
  const warns: { fields: Record<string, unknown>; msg: string }[] = [];
  const log = { warn: (fields: Record<string, unknown>, msg: string) => warns.push({ fields, msg }), error: () => {} } as unknown as Logger;
  return { log, warns };
}

function hold(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* holding the loop on purpose */ }
}

describe('watchLoop', () => {
  it('logs a turn that held the loop past the threshold with its session and command', async () => {
    const { log, warns } = fakeLog();
    const w = watchLoop({ log, warnMs: 100 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const rec = { proto: 'imap', cid: 7, user: 'ann', cmd: 'a1 UID FETCH' };
      currentWork.begin(rec);
      hold(250);
      currentWork.end(rec);
      await new Promise((r) => setTimeout(r, 100));
      const held = warns.find((x) => x.msg === 'a turn held the event loop');
      expect(held?.fields).toMatchObject({ proto: 'imap', cid: 7, user: 'ann', cmd: 'a1 UID FETCH' });
      expect(held!.fields.heldMs as number).toBeGreaterThanOrEqual(100);
    } finally {
      w.stop();
    }
  });
});
