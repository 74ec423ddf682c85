// install-service writes the shell's KEEP_* settings into a systemd EnvironmentFile: values with
// spaces, quotes or backslashes must arrive as written, and a line break must not smuggle in a line.
import { describe, expect, it } from 'vitest';
import { environmentFile, envValue } from '../../../src/cli/service/install.ts';

describe('the settings file install-service writes', () => {
  it('leaves one safe word as it is', () => {
    expect(envValue('KEEP_DOMAIN', 'example.org')).toBe('example.org');
    expect(envValue('KEEP_ACME_DIRECTORY', 'https://acme.example/dir?x=1')).toBe('"https://acme.example/dir?x=1"');
  });

  it('quotes spaces, quotes, # and backslashes the way systemd unquotes them', () => {
    expect(envValue('KEEP_ADMIN_PASSWORD', 'a b#c')).toBe('"a b#c"');
    expect(envValue('KEEP_ADMIN_PASSWORD', 'say "hi" \\ ok')).toBe('"say \\"hi\\" \\\\ ok"');
  });

  it('refuses a line break instead of writing a second line', () => {
    expect(() => envValue('KEEP_ADMIN_PASSWORD', 'x\nKEEP_RUN_AS=root')).toThrow(/line break/);
  });

  it('writes only known KEEP_ settings, sorted, without those the unit sets itself', () => {
    const text = environmentFile({ KEEP_DOMAIN: 'example.org', KEEP_DATA_DIR: '/x', HOME: '/root', KEEP_NOT_A_SETTING: '1', KEEP_ADMIN_PASSWORD: 'p w' }, ['KEEP_DATA_DIR']);
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['KEEP_ADMIN_PASSWORD="p w"', 'KEEP_DOMAIN=example.org']);
  });
});
