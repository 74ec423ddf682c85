// Structured, tagged logging (pino): JSON when stdout is not a terminal, readable on a terminal.
// Secrets are redacted here, once, so no caller has to remember to.
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'password', '*.password', 'pass', '*.pass', 'secret', '*.secret',
  'passphrase', '*.passphrase', 'auth', '*.auth',
];

/** Wire lines that carry secrets; the logger shows the verb only. */
const SECRET_LINE = /^(PASS|SETP|PAS2|NEWU|CREU|AUTHINFO PASS|AUTHENTICATE|LOGIN)\b/i;

/** Redact a protocol line before it is logged: secret-bearing verbs keep only the verb. */
export function redactLine(line: string): string {
  const m = SECRET_LINE.exec(line.replace(/^\S+\s+(?=LOGIN|AUTHENTICATE)/i, ''));
  if (!m) return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return `${line.slice(0, line.indexOf(m[1]!) + m[1]!.length)} <redacted>`;
}

export interface LogOptions {
  level?: string;
  /** Force pretty (true) or JSON (false); default: pretty when stdout is a TTY. */
  pretty?: boolean;
  name?: string;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  const base = {
    name: opts.name ?? 'keep',
    level: opts.level ?? process.env.KEEP_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT, censor: '<redacted>' },
  };
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname' } },
    });
  }
  return pino(base);
}
