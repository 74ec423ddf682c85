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
});
