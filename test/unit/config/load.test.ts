// Settings come from a flag, an environment variable or a config file, in that precedence (issue 2).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'keep-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'keep.json');
writeFileSync(file, JSON.stringify({ imapPort: 3143, nntpPort: 3119, domain: 'file.test' }));

describe('loadConfig', () => {
  it('takes defaults when nothing is set', () => {
    const { config } = loadConfig({ argv: [], env: {} });
    expect(config.bind).toBe('127.0.0.1');
    expect(config.dataDir).toMatch(/data$/);
    expect(config.nativePort).toBeGreaterThan(1023);
  });

  it('prefers a flag over the environment over the file over the default', () => {
    const { config } = loadConfig({
      argv: ['--config', file, '--imap-port', '4143'],
      env: { KEEP_IMAP_PORT: '5143', KEEP_NNTP_PORT: '5119' },
    });
    expect(config.imapPort).toBe(4143); // flag
    expect(config.nntpPort).toBe(5119); // environment beats file
    expect(config.domain).toBe('file.test'); // file beats default
  });

  it('reads the config file named by KEEP_CONFIG', () => {
    const { config } = loadConfig({ argv: [], env: { KEEP_CONFIG: file } });
    expect(config.imapPort).toBe(3143);
  });

  it('leaves arguments that are not settings for the command', () => {
    const { rest } = loadConfig({ argv: ['user', 'add', 'Alice', '--level', '6', '--bind=127.0.0.2'], env: {} });
    expect(rest).toEqual(['user', 'add', 'Alice', '--level', '6']);
  });

  it.each([
    [{ KEEP_NATIVE_PORT: 'abc' }, /nativePort: 'abc' is not an integer/],
    [{ KEEP_NATIVE_PORT: '70000' }, /nativePort/],
  ])('refuses %o with a one-line reason', (env, message) => {
    expect(() => loadConfig({ argv: [], env })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: [], env })).toThrow(message);
  });
});
