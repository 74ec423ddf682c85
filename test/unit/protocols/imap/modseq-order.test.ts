// A message's MODSEQ never goes down (RFC 7162 §3.1.1), even when two writes' 'flags' events
// arrive in the other order than their modseqs: each write waits for its own flush, and
// imaptest's stress mode saw a message's MODSEQ drop from 7240 to 7219 that way.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/index.ts';
import { Events } from '../../../../src/core/events.ts';
import { emptyVisit } from '../../../../src/core/visits/visits.ts';
import { ModseqIndex } from '../../../../src/protocols/imap/modseq.ts';

describe('ModseqIndex', () => {
  it('keeps the higher modseq when an older change is told after a newer one', () => {
    const events = new Events();
    const core = { events, visits: { get: () => ({ ...emptyVisit(), modseq: 3 }) }, journal: { highestModseq: () => 3 } } as unknown as Core;
    const index = new ModseqIndex(core);
    index.watch(1, 8);
    expect(index.flagModseq(1, 8, 42)).toBe(3);
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [42, 43], modseq: 7240 });
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [42], modseq: 7219 });
    expect(index.flagModseq(1, 8, 42)).toBe(7240);
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [42], modseq: 7300 });
    expect(index.flagModseq(1, 8, 42)).toBe(7300);
    expect(index.flagModseq(1, 8, 43)).toBe(7240);
    index.close();
  });
});
