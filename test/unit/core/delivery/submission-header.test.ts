import { describe, expect, it } from 'vitest';
import { completeHeader } from '../../../../src/core/delivery/submission-header.ts';

const opts = { domain: 'keep.test', now: Date.UTC(2026, 0, 2, 3, 4, 5) };
const run = (s: string) => completeHeader(Buffer.from(s), opts).toString();

describe('submission header completion', () => {
  it('adds Date and Message-ID at the end of the header', () => {
    expect(run('From: a@keep.test\r\nSubject: x\r\n\r\nbody\r\n')).toMatch(/^From: a@keep\.test\r\nSubject: x\r\nDate: Fri, 02 Jan 2026 03:04:05 \+0000\r\nMessage-ID: <[0-9a-f-]{36}@keep\.test>\r\n\r\nbody\r\n$/);
  });

  it('leaves a complete header alone (any case)', () => {
    const s = 'DATE: Thu, 1 Jan 2026 00:00:00 +0000\r\nmessage-id: <a@b>\r\n\r\nbody';
    expect(run(s)).toBe(s);
  });

  it('does not look into the body', () => {
    expect(run('Date: x\r\n\r\nMessage-ID: <in-body@x>\r\n')).toMatch(/^Date: x\r\nMessage-ID: <[0-9a-f-]{36}@keep\.test>\r\n\r\nMessage-ID: <in-body@x>/);
  });

  it('handles bare LF messages and leaves a message without header end alone', () => {
    expect(run('Subject: x\n\nbody\n')).toMatch(/^Subject: x\nDate: .*\r\nMessage-ID: .*\r\n\nbody\n$/);
    expect(run('Subject: x')).toBe('Subject: x');
  });
});
