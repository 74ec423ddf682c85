// Submission AUTH failures: after KEEP_AUTH_FAILURE_LIMIT failures on one connection the session
// says goodbye with 421; core's throttle then answers the address with 454 for its window.
// In its own server, because the throttle locks the loopback address for the other tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailKeep, type MailKeep } from './fixture.ts';
import { RawSmtp } from './raw-smtp.ts';

let k: MailKeep;
beforeAll(async () => { k = await startMailKeep(); });
afterAll(async () => { await k?.stop(); });

describe('SMTP AUTH failures', () => {
  it('closes the session with 421 after the configured number of failed AUTHs, then throttles (454)', async () => {
    const c = await RawSmtp.connect(k.keep.ports.submission);
    expect((await c.cmd('EHLO client.example')).code).toBe(250);
    const bad = Buffer.from('\0dora\0wrong').toString('base64');
    const codes: number[] = [];
    for (let i = 0; i < 5 && !c.closed; i++) codes.push((await c.cmd(`AUTH PLAIN ${bad}`)).code);
    expect(codes).toEqual([535, 535, 535, 535, 421]);
    expect(await c.closedByServer()).toBe(true);
    const d = await RawSmtp.connect(k.keep.ports.submission);
    expect((await d.cmd('EHLO client.example')).code).toBe(250);
    expect((await d.cmd(`AUTH PLAIN ${bad}`)).code).toBe(454);
    d.close();
  });
});
