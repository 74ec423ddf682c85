// A change without message numbers (SLRP, a chat read) folds the exact per-message modseqs into
// the baseline: a message told a higher modseq before that event arrived keeps it, since events
// can arrive in the other order than their modseqs and a MODSEQ never goes down (RFC 7162 §3.1.1).
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/index.ts';
import { Events } from '../../../../src/core/events.ts';
import { emptyVisit } from '../../../../src/core/visits/visits.ts';
import { ModseqIndex } from '../../../../src/protocols/imap/modseq.ts';

describe('ModseqIndex folding into its baseline', () => {
  it('keeps a message at the higher modseq when an older whole-room change is told after it', () => {
    const events = new Events();
    const core = { events, visits: { get: () => ({ ...emptyVisit(), modseq: 3 }) }, journal: { highestModseq: () => 3 } } as unknown as Core;
    const index = new ModseqIndex(core);
    index.watch(1, 8);
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [42], modseq: 500 });
    // an SLRP whose write took modseq 480, told after the STORE that took 500
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [], modseq: 480 });
    expect(index.flagModseq(1, 8, 42)).toBe(500);
    expect(index.flagModseq(1, 8, 7)).toBe(500);
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [], modseq: 600 });
    expect(index.flagModseq(1, 8, 42)).toBe(600);
    // a STORE that took 550, told only now
    events.emit('flags', { usernum: 1, roomnum: 8, msgnums: [42], modseq: 550 });
    expect(index.flagModseq(1, 8, 42)).toBe(600);
    index.close();
  });
});
