// KEEP_REGISTRATION and the older KEEP_NATIVE_OPEN_REGISTRATION it replaces; the new limits.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';

const load = (env: Record<string, string>) => loadConfig({ env }).config;

describe('registration settings', () => {
  it('defaults to validate, 3 registrations an hour, level 4 for Internet mail, 200 recipients an hour', () => {
    expect(load({})).toMatchObject({ registration: 'validate', registrationPerHour: 3, internetMailLevel: 4, sendPerHour: 200, httpsPort: -1, httpAllowCleartextLogin: false, trustedProxies: [] });
  });

  it.each([
    [{ KEEP_NATIVE_OPEN_REGISTRATION: 'false' }, 'closed'],
    [{ KEEP_NATIVE_OPEN_REGISTRATION: 'true' }, 'open'],
    [{ KEEP_NATIVE_OPEN_REGISTRATION: 'false', KEEP_REGISTRATION: 'validate' }, 'validate'],
    [{ KEEP_REGISTRATION: 'open' }, 'open'],
  ])('reads %o as %s', (env, mode) => {
    expect(load(env).registration).toBe(mode);
  });

  it('refuses an unknown mode, a level out of range and a negative limit', () => {
    expect(() => load({ KEEP_REGISTRATION: 'maybe' })).toThrow(ConfigError);
    expect(() => load({ KEEP_INTERNET_MAIL_LEVEL: '7' })).toThrow(ConfigError);
    expect(() => load({ KEEP_SEND_PER_HOUR: '-1' })).toThrow(ConfigError);
  });
});
