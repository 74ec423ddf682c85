// Base subjects and reply marks (RFC 5256 §2.1), shared by SORT and THREAD.
import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../../../src/protocols/imap/commands/message-order.ts';

describe('subjectOf', () => {
  it.each([
    ['Plans', 'PLANS', false],
    ['  Re:   Plans ', 'PLANS', true],
    ['[list] Plans', 'PLANS', false],
    ['[list]', '[LIST]', false],
    ['Plans (fwd)', 'PLANS', true],
    ['[Fwd: Plans]', 'PLANS', true],
    ['[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)', 'B', true],
    ['re: [fwd: [fwd: re: [fwd: babylon]]]', 'BABYLON', true],
    ['Ad: Re: x', 'AD: RE: X', false],
  ])('%j → %s (reply: %s)', (subject, base, isReply) => {
    expect(subjectOf(subject)).toEqual({ base, isReply });
  });

  it.each([
    ['plain', 'a'.repeat(1_000_000)],
    ['(fwd) trailers', `${'(fwd)'.repeat(200_000)}x`],
    ['[blobs]', `${'[a]'.repeat(300_000)}x`],
  ])('takes the base of a megabyte of %s from the first 256 characters only', (_what, subject) => {
    // unbounded, stripping these took minutes of one worker's time at every SORT or THREAD
    expect(subjectOf(subject).base.length).toBeLessThanOrEqual(256);
  });

  it('still strips what a long subject starts with', () => {
    expect(subjectOf(`Re: [list] ${'word '.repeat(100)}`).base.startsWith('WORD WORD')).toBe(true);
  });
});

