// `keep --help`.
import { subcommands } from '../commands/index.ts';

export function usageText(): string {
  const cmds = Object.values(subcommands).map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`);
  return [
    'keep: the Keep terminal client (native Citadel protocol)',
    '',
    'usage: keep [options]                 interactive mode (single-key commands, ? for help)',
    '       keep [options] COMMAND ...',
    '',
    'commands:',
    ...cmds,
    '',
    'options (flag > environment > config file > default):',
    '  -H, --host HOST      KEEP_HOST       server (127.0.0.1)',
    '  -p, --port PORT      KEEP_PORT       port (5040; 5041 with --tls implicit)',
    '  -u, --user NAME      KEEP_USER       user name (asked when missing)',
    '      --password PW    KEEP_PASSWORD   password (asked without echo when missing)',
    '      --tls MODE       KEEP_TLS        off, starttls (STLS) or implicit',
    '      --ca FILE        KEEP_CA         trust this PEM certificate (a self-signed server)',
    '      --insecure                       accept any server certificate',
    '      --config FILE    KEEP_CLIENT_CONFIG  JSON file with host, port, user, password, tls, ca',
    '                                       (default ~/.config/keep/client.json)',
    '      --timeout SECS   KEEP_TIMEOUT    wait this long for a reply (15)',
    '      --poll SECS      KEEP_POLL       interactive: keepalive and instant-message check (5)',
    '  -j, --json                           machine-readable output',
    '',
    'exit codes: 0 ok, 1 the server refused (its reason on stderr), 2 cannot connect or bad usage',
    '',
  ].join('\n');
}
