import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../../clients/cli/src/options/args.ts';
import { resolveSettings } from '../../../../clients/cli/src/options/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'keep-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noFile = { XDG_CONFIG_HOME: '/nonexistent' };
const flags = (...argv: string[]) => parseArgs(argv).flags;

describe('keep settings', () => {
  it('defaults to the loopback native port without TLS', () => {
    expect(resolveSettings(flags(), noFile)).toMatchObject({ host: '127.0.0.1', port: 5040, tls: 'off', user: undefined, password: undefined });
  });

  it('uses the implicit-TLS port by default with --tls implicit', () => {
    expect(resolveSettings(flags('--tls', 'implicit'), noFile)).toMatchObject({ port: 5041, tls: 'implicit' });
  });

  it('takes a flag over the environment over the file', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ host: 'file-host', port: 1111, user: 'file-user', password: 'file-pw' }));
    const env = { ...noFile, KEEP_CLIENT_CONFIG: file };
    expect(resolveSettings(flags(), env)).toMatchObject({ host: 'file-host', port: 1111, user: 'file-user', password: 'file-pw' });
    expect(resolveSettings(flags(), { ...env, KEEP_HOST: 'env-host', KEEP_PORT: '2222' })).toMatchObject({ host: 'env-host', port: 2222, user: 'file-user' });
    expect(resolveSettings(flags('-H', 'flag-host', '--port', '3333'), { ...env, KEEP_HOST: 'env-host' })).toMatchObject({ host: 'flag-host', port: 3333 });
  });

  it('treats an empty KEEP_PASSWORD as a given (empty) password', () => {
    expect(resolveSettings(flags(), { ...noFile, KEEP_PASSWORD: '' }).password).toBe('');
  });

  it.each([
    [['--port', '0'], /port must be 1-65535/],
    [['--timeout', '-1'], /--timeout needs a positive number/],
    [['--ca', '/nonexistent/ca.pem'], /cannot read CA file/],
  ])('rejects %j', (argv, message) => {
    expect(() => resolveSettings(flags(...argv), noFile)).toThrow(message);
  });
});
