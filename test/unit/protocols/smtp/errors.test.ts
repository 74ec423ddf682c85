import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CoreError, type ErrorKind } from '../../../../src/core/index.ts';
import { SmtpReply, toSmtpError } from '../../../../src/protocols/smtp/errors.ts';

describe('SMTP error replies', () => {
  const log = pino({ level: 'silent' });

  it.each<[ErrorKind, number]>([
    ['not-logged-in', 530], ['bad-credentials', 535], ['forbidden', 550], ['not-found', 550], ['exists', 550],
    ['invalid', 501], ['too-big', 552], ['limit', 552], ['unavailable', 451],
  ])('answers %s with %i and the core message', (kind, code) => {
    const r = toSmtpError(new CoreError(kind, `because ${kind}`), log);
    expect(r.responseCode).toBe(code);
    expect(r.message).toBe(`because ${kind}`);
  });

  it('answers over-quota with 552 5.2.2, or with the 452 4.2.2 a hook asks for (RCPT)', () => {
    expect(toSmtpError(new CoreError('over-quota', 'full'), log).responseCode).toBe('552 5.2.2');
    expect(toSmtpError(new CoreError('over-quota', 'full'), log, { 'over-quota': '452 4.2.2' }).responseCode).toBe('452 4.2.2');
  });

  it('applies a per-hook override (a throttled AUTH is 454)', () => {
    expect(toSmtpError(new CoreError('limit', 'slow down'), log, { limit: 454 }).responseCode).toBe(454);
  });

  it('passes its own replies through', () => {
    const own = new SmtpReply(554, 'no');
    expect(toSmtpError(own, log)).toBe(own);
  });

  it('answers anything else with 451 and a generic text, logging it', () => {
    const seen: unknown[] = [];
    const spy = pino({ level: 'error' }, { write: (l: string) => { seen.push(JSON.parse(l)); } });
    const r = toSmtpError(new TypeError('secret internals at /src/x.ts:1'), spy);
    expect(r.responseCode).toBe(451);
    expect(r.message).not.toContain('secret');
    expect(seen).toHaveLength(1);
  });
});
