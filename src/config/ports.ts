// Port presets. `lab` is the schema's defaults (unprivileged, so loopback and tests need no root);
// `standard` is the well-known port of every protocol, what a real host serves. A port set alone
// (flag, environment, config file) wins over either preset.
export const PRESETS = ['lab', 'standard'];

/** The well-known ports by setting name (RFC 5321, 8314, 6409, 9051, 8314, 3977, 4642, 9110; Citadel 504). */
export const STANDARD_PORTS: Record<string, number> = {
  smtpPort: 25,
  submissionsPort: 465,
  submissionPort: 587,
  imapPort: 143,
  imapTlsPort: 993,
  nntpPort: 119,
  nntpsPort: 563,
  httpPort: 80,
  // the HTTPS listener's setting (KEEP_HTTPS_PORT) comes with the web login work (issue 17); the
  // preset applies to it as soon as the setting exists
  httpsPort: 443,
  nativePort: 504,
  // POP3 (110/995) joins when Keep has POP3
};

/** The port a preset gives a setting, or undefined when the preset leaves it at its default. */
export function presetPort(preset: string, setting: string): number | undefined {
  return preset === 'standard' ? STANDARD_PORTS[setting] : undefined;
}
