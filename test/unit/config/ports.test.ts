// KEEP_PORTS=standard: the well-known port of every protocol, each still settable alone (issue 21).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS } from '../../../src/config/index.ts';
import { STANDARD_PORTS } from '../../../src/config/ports.ts';

describe('KEEP_PORTS', () => {
  it('gives every protocol its well-known port with standard', () => {
    const { config } = loadConfig({ argv: [], env: { KEEP_PORTS: 'standard' } });
    expect({
      smtp: config.smtpPort, submissions: config.submissionsPort, submission: config.submissionPort,
      imap: config.imapPort, imaps: config.imapTlsPort, nntp: config.nntpPort, nntps: config.nntpsPort,
      http: config.httpPort, native: config.nativePort,
    }).toEqual({ smtp: 25, submissions: 465, submission: 587, imap: 143, imaps: 993, nntp: 119, nntps: 563, http: 80, native: 504 });
  });

  it('keeps a port set alone by flag, environment or file', () => {
    const { config } = loadConfig({ argv: ['--ports', 'standard', '--imap-port', '1143'], env: { KEEP_SMTP_PORT: '2525', KEEP_NNTPS_PORT: '-1' } });
    expect([config.imapPort, config.smtpPort, config.nntpsPort, config.imapTlsPort]).toEqual([1143, 2525, -1, 993]);
  });

  it('leaves the unprivileged lab ports by default', () => {
    const { config } = loadConfig({ argv: [], env: {} });
    expect(config.ports).toBe('lab');
    expect([config.smtpPort, config.submissionsPort, config.nntpsPort]).toEqual([2525, 5465, 1563]);
  });

  it('maps only settings that are ports (the HTTPS one once it exists)', () => {
    for (const name of Object.keys(STANDARD_PORTS)) {
      if (name === 'httpsPort' && !(name in SETTINGS)) continue; // KEEP_HTTPS_PORT arrives with issue 17
      expect(Object.keys(SETTINGS)).toContain(name);
    }
  });

  it('refuses an unknown preset', () => {
    expect(() => loadConfig({ argv: [], env: { KEEP_PORTS: 'high' } })).toThrow(ConfigError);
  });
});

describe('KEEP_ACME', () => {
  it('refuses ACME without the HTTP listener it answers HTTP-01 on', () => {
    expect(() => loadConfig({ argv: [], env: { KEEP_ACME: 'true', KEEP_HTTP_PORT: '-1' } })).toThrow(/KEEP_HTTP_PORT must not be -1/);
  });
});
