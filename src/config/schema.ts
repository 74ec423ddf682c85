// One typed schema for every setting: its key, environment variable, flag, type and default.
// Precedence is flag > environment > config file > default (see load.ts).

export type SettingType = 'string' | 'int' | 'bool' | 'list';

export interface SettingSpec {
  env: string;
  flag: string;
  type: SettingType;
  default: string | number | boolean | string[] | undefined;
  help: string;
}

/** Every setting, keyed by its name in the config file. */
export const SETTINGS = {
  dataDir: { env: 'KEEP_DATA_DIR', flag: '--data-dir', type: 'string', default: './data', help: 'LMDB data directory' },
  domain: { env: 'KEEP_DOMAIN', flag: '--domain', type: 'string', default: 'keep.local', help: 'primary mail domain and node FQDN' },
  localDomains: { env: 'KEEP_LOCAL_DOMAINS', flag: '--local-domains', type: 'list', default: [], help: 'further local mail domains, comma-separated' },
  nodeName: { env: 'KEEP_NODE_NAME', flag: '--node-name', type: 'string', default: 'keep', help: 'short node name' },
  humanNode: { env: 'KEEP_HUMAN_NODE', flag: '--human-node', type: 'string', default: 'Keep', help: 'human-readable node name' },
  location: { env: 'KEEP_LOCATION', flag: '--location', type: 'string', default: 'Loopback', help: 'site location shown to clients' },
  adminUser: { env: 'KEEP_ADMIN_USER', flag: '--admin-user', type: 'string', default: 'admin', help: 'first admin account, created on first start' },
  adminPassword: { env: 'KEEP_ADMIN_PASSWORD', flag: '--admin-password', type: 'string', default: undefined, help: 'its password; random and printed once if unset' },
  runAs: { env: 'KEEP_RUN_AS', flag: '--run-as', type: 'string', default: 'keep', help: 'started as root: the user the server runs as once every port is bound (created as a system user if missing; never root)' },
  bind: { env: 'KEEP_BIND', flag: '--bind', type: 'string', default: '127.0.0.1', help: 'address every listener binds' },
  ports: { env: 'KEEP_PORTS', flag: '--ports', type: 'string', default: 'lab', help: 'lab: unprivileged ports; standard: the well-known ports (25, 465, 587, 143, 993, 119, 563, 80, 443, 504) for every port not set alone' },
  nativePort: { env: 'KEEP_NATIVE_PORT', flag: '--native-port', type: 'int', default: 5040, help: 'native (Citadel) protocol port' },
  nativeTlsPort: { env: 'KEEP_NATIVE_TLS_PORT', flag: '--native-tls-port', type: 'int', default: 5041, help: 'native protocol, implicit TLS (-1 off)' },
  smtpPort: { env: 'KEEP_SMTP_PORT', flag: '--smtp-port', type: 'int', default: 2525, help: 'inbound SMTP (MX) port' },
  submissionPort: { env: 'KEEP_SUBMISSION_PORT', flag: '--submission-port', type: 'int', default: 5587, help: 'SMTP submission port' },
  submissionsPort: { env: 'KEEP_SUBMISSIONS_PORT', flag: '--submissions-port', type: 'int', default: 5465, help: 'SMTP submission over implicit TLS (RFC 8314; -1 off)' },
  cleartextAuthOnLoopback: { env: 'KEEP_CLEARTEXT_AUTH_ON_LOOPBACK', flag: '--cleartext-auth-on-loopback', type: 'bool', default: true, help: 'SMTP AUTH, IMAP LOGIN and NNTP AUTHINFO without TLS from loopback clients (TLS is always required otherwise)' },
  smtpRoutes: { env: 'KEEP_SMTP_ROUTES', flag: '--smtp-routes', type: 'list', default: [], help: 'outbound SMTP routes instead of MX lookup: domain=[user:pass@]host:port, comma-separated; * for a smarthost' },
  smtpIdleTimeout: { env: 'KEEP_SMTP_IDLE_TIMEOUT', flag: '--smtp-idle-timeout', type: 'int', default: 300, help: 'SMTP: seconds of silence before the session is closed (RFC 5321 §4.5.3.2: minutes, not hours)' },
  queueInterval: { env: 'KEEP_QUEUE_INTERVAL', flag: '--queue-interval', type: 'int', default: 5000, help: 'outbound queue: how often due entries are looked for (ms)' },
  queueRetryMin: { env: 'KEEP_QUEUE_RETRY_MIN', flag: '--queue-retry-min', type: 'int', default: 300, help: 'outbound queue: first retry delay after a temporary failure (s), doubling up to 4 h' },
  queueLifetime: { env: 'KEEP_QUEUE_LIFETIME', flag: '--queue-lifetime', type: 'int', default: 5 * 24 * 3600, help: 'outbound queue: seconds before an undelivered message is bounced' },
  queueDelayNotice: { env: 'KEEP_QUEUE_DELAY_NOTICE', flag: '--queue-delay-notice', type: 'int', default: 4 * 3600, help: 'outbound queue: seconds undelivered before the sender gets one delay notice (RFC 3464 Action: delayed; 0 off)' },
  submissionSaveSent: { env: 'KEEP_SUBMISSION_SAVE_SENT', flag: '--submission-save-sent', type: 'bool', default: false, help: 'submission: also save a copy in the sender\'s Sent (mail clients save their own by IMAP APPEND)' },
  dnsServers: { env: 'KEEP_DNS_SERVERS', flag: '--dns-servers', type: 'list', default: [], help: 'DNS servers (host:port, comma-separated) for outbound MX lookups and inbound checks; default the system\'s' },
  dnsTimeout: { env: 'KEEP_DNS_TIMEOUT', flag: '--dns-timeout', type: 'int', default: 2000, help: 'DNS: ms one query may take (two tries) before it counts as a temporary error' },
  dkimSelector: { env: 'KEEP_DKIM_SELECTOR', flag: '--dkim-selector', type: 'string', default: undefined, help: 'DKIM selector for newly generated keys (default keep<year>; -rsa and -ed25519 are appended)' },
  inboundAuth: { env: 'KEEP_INBOUND_AUTH', flag: '--inbound-auth', type: 'string', default: 'enforce', help: 'MX checks of SPF, DKIM, DMARC and ARC: enforce (tag, refuse or junk by policy), tag (header only) or off' },
  spfRecord: { env: 'KEEP_SPF_RECORD', flag: '--spf-record', type: 'string', default: 'v=spf1 mx -all', help: 'the SPF record keepd dns suggests for every local domain' },
  dmarcRua: { env: 'KEEP_DMARC_RUA', flag: '--dmarc-rua', type: 'string', default: undefined, help: 'local mailbox for DMARC aggregate reports in the suggested record (default the admin\'s address)' },
  mtaStsMode: { env: 'KEEP_MTA_STS_MODE', flag: '--mta-sts-mode', type: 'string', default: 'testing', help: 'mode of the MTA-STS policy keepd dns suggests: testing or enforce' },
  imapPort: { env: 'KEEP_IMAP_PORT', flag: '--imap-port', type: 'int', default: 1143, help: 'IMAP port' },
  imapTlsPort: { env: 'KEEP_IMAP_TLS_PORT', flag: '--imap-tls-port', type: 'int', default: 1993, help: 'IMAP implicit TLS port (-1 off)' },
  imapMaxLineLength: { env: 'KEEP_IMAP_MAX_LINE_LENGTH', flag: '--imap-max-line-length', type: 'int', default: 65536, help: 'IMAP: longest command line (bytes; long UID sets need more than other protocols)' },
  imapIdleTimeout: { env: 'KEEP_IMAP_IDLE_TIMEOUT', flag: '--imap-idle-timeout', type: 'int', default: 1800, help: 'IMAP: seconds of silence (IDLE included) before autologout' },
  imapMaxBadCommands: { env: 'KEEP_IMAP_MAX_BAD_COMMANDS', flag: '--imap-max-bad-commands', type: 'int', default: 20, help: 'IMAP: bad commands before the session is closed (* BYE)' },
  nntpPort: { env: 'KEEP_NNTP_PORT', flag: '--nntp-port', type: 'int', default: 1119, help: 'NNTP port' },
  nntpsPort: { env: 'KEEP_NNTPS_PORT', flag: '--nntps-port', type: 'int', default: 1563, help: 'NNTP over implicit TLS (RFC 4642 §1; -1 off)' },
  nntpAnonymousRead: { env: 'KEEP_NNTP_ANONYMOUS_READ', flag: '--nntp-anonymous-read', type: 'bool', default: false, help: 'NNTP: let clients that are not logged in read public rooms' },
  nntpMaxRange: { env: 'KEEP_NNTP_MAX_RANGE', flag: '--nntp-max-range', type: 'int', default: 100000, help: 'NNTP: most articles one OVER, HDR or LISTGROUP may answer' },
  nntpMaxBadCommands: { env: 'KEEP_NNTP_MAX_BAD_COMMANDS', flag: '--nntp-max-bad-commands', type: 'int', default: 20, help: 'NNTP: bad commands and failed logins before the session is closed (400)' },
  httpPort: { env: 'KEEP_HTTP_PORT', flag: '--http-port', type: 'int', default: 8080, help: 'HTTP: web client, WebSocket chat, /healthz, /metrics' },
  httpsPort: { env: 'KEEP_HTTPS_PORT', flag: '--https-port', type: 'int', default: -1, help: 'HTTPS: the web listener over TLS, with the certificate of the other listeners (-1 off)' },
  httpAllowCleartextLogin: { env: 'KEEP_HTTP_ALLOW_CLEARTEXT_LOGIN', flag: '--http-allow-cleartext-login', type: 'bool', default: false, help: 'web: accept logins over plain HTTP from addresses other than loopback' },
  trustedProxies: { env: 'KEEP_TRUSTED_PROXIES', flag: '--trusted-proxies', type: 'list', default: [], help: 'web: addresses of reverse proxies whose X-Forwarded-For (and X-Forwarded-Proto) are believed' },
  metricsToken: { env: 'KEEP_METRICS_TOKEN', flag: '--metrics-token', type: 'string', default: undefined, help: '/metrics and the detail of /healthz: a bearer token that opens them beyond loopback' },
  httpSessionTtl: { env: 'KEEP_HTTP_SESSION_TTL', flag: '--http-session-ttl', type: 'int', default: 86400, help: 'web: seconds a login session cookie lasts' },
  wsMaxPayload: { env: 'KEEP_WS_MAX_PAYLOAD', flag: '--ws-max-payload', type: 'int', default: 16384, help: 'web chat: largest WebSocket frame accepted (bytes; larger closes with 1009)' },
  wsMaxBuffered: { env: 'KEEP_WS_MAX_BUFFERED', flag: '--ws-max-buffered', type: 'int', default: 4194304, help: 'web chat: unsent bytes one client may fall behind live traffic (others\' lines, presence, pages) before it is cut off at once as a slow consumer; its own requests stop above KEEP_SESSION_MAX_BUFFERED instead' },
  wsPingInterval: { env: 'KEEP_WS_PING_INTERVAL', flag: '--ws-ping-interval', type: 'int', default: 30000, help: 'web chat: ms between pings; a peer that misses one is dropped' },
  wsRateLimit: { env: 'KEEP_WS_RATE_LIMIT', flag: '--ws-rate-limit', type: 'int', default: 10, help: 'web chat: frames per second one connection may send (bursts of 3x)' },
  wsMaxBadFrames: { env: 'KEEP_WS_MAX_BAD_FRAMES', flag: '--ws-max-bad-frames', type: 'int', default: 20, help: 'web chat: refused frames before the connection is closed (1008)' },
  backupInterval: { env: 'KEEP_BACKUP_INTERVAL', flag: '--backup-interval', type: 'int', default: 0, help: 'seconds between scheduled snapshots (0 off; 86400 = daily)' },
  backupDir: { env: 'KEEP_BACKUP_DIR', flag: '--backup-dir', type: 'string', default: './backups', help: 'where scheduled snapshots go (one keep-<time> directory each)' },
  backupKeep: { env: 'KEEP_BACKUP_KEEP', flag: '--backup-keep', type: 'int', default: 7, help: 'scheduled snapshots kept; older ones are pruned' },
  softDeleteDays: { env: 'KEEP_SOFT_DELETE_DAYS', flag: '--soft-delete-days', type: 'int', default: 7, help: 'days a deleted room or message can be restored before it is purged' },
  tlsCert: { env: 'KEEP_TLS_CERT', flag: '--tls-cert', type: 'string', default: undefined, help: 'PEM certificate file (default: self-signed, generated in the data dir)' },
  tlsKey: { env: 'KEEP_TLS_KEY', flag: '--tls-key', type: 'string', default: undefined, help: 'PEM private key file' },
  tlsNames: { env: 'KEEP_TLS_NAMES', flag: '--tls-names', type: 'list', default: [], help: 'host names the certificate must cover, comma-separated (default: every local domain, each also with the KEEP_TLS_NAME_PREFIXES)' },
  tlsNamePrefixes: { env: 'KEEP_TLS_NAME_PREFIXES', flag: '--tls-name-prefixes', type: 'list', default: ['mail', 'news'], help: 'host-name prefixes added to every local domain for the certificate (mail.example.org, news.example.org); empty for none' },
  clockCheckUrl: { env: 'KEEP_CLOCK_CHECK_URL', flag: '--clock-check-url', type: 'string', default: undefined, help: 'keepd doctor: an https:// URL whose Date header the local clock is compared with' },
  outboundProbe: { env: 'KEEP_OUTBOUND_PROBE', flag: '--outbound-probe', type: 'string', default: 'gmail-smtp-in.l.google.com:25', help: 'keepd doctor: host:port an outbound SMTP connection is tried to (the * route of KEEP_SMTP_ROUTES when set)' },
  acme: { env: 'KEEP_ACME', flag: '--acme', type: 'bool', default: false, help: 'obtain and renew the certificate over ACME (HTTP-01 on the HTTP listener) for KEEP_TLS_NAMES' },
  acmeDirectory: { env: 'KEEP_ACME_DIRECTORY', flag: '--acme-directory', type: 'string', default: 'https://acme-v02.api.letsencrypt.org/directory', help: "ACME directory URL (Let's Encrypt staging: https://acme-staging-v02.api.letsencrypt.org/directory)" },
  acmeEmail: { env: 'KEEP_ACME_EMAIL', flag: '--acme-email', type: 'string', default: undefined, help: 'contact address for the ACME account (expiry warnings from the CA)' },
  maxLineLength: { env: 'KEEP_MAX_LINE_LENGTH', flag: '--max-line-length', type: 'int', default: 4096, help: 'longest command line accepted (bytes)' },
  maxMessageSize: { env: 'KEEP_MAX_MESSAGE_SIZE', flag: '--max-message-size', type: 'int', default: 25 * 1024 * 1024, help: 'largest message accepted (bytes)' },
  quotaMb: { env: 'KEEP_QUOTA_MB', flag: '--quota-mb', type: 'int', default: 0, help: "each user's mailboxes together (MiB; 0 off): mail that would go past it is refused (IMAP NO [OVERQUOTA], SMTP 452/552, native 511)" },
  passwordHashThreads: { env: 'KEEP_PASSWORD_HASH_THREADS', flag: '--password-hash-threads', type: 'int', default: 0, help: 'password hashes (scrypt, one per login) run at once; more logins wait their turn so other commands keep a core (0: one fewer than the cores, at least one)' },
  maxConnectionsPerAddress: { env: 'KEEP_MAX_CONNECTIONS_PER_ADDRESS', flag: '--max-connections-per-address', type: 'int', default: 1000, help: 'concurrent connections from one address, per listener (HTTP and WebSocket included); all listeners together never give one address more than a quarter of the open-file limit' },
  sessionMaxBuffered: { env: 'KEEP_SESSION_MAX_BUFFERED', flag: '--session-max-buffered', type: 'int', default: 1048576, help: 'unsent reply bytes per session (native, IMAP, NNTP, SMTP) before it stops reading and running commands until the client reads' },
  sessionStallTimeout: { env: 'KEEP_SESSION_STALL_TIMEOUT', flag: '--session-stall-timeout', type: 'int', default: 60, help: 'seconds a session may sit over KEEP_SESSION_MAX_BUFFERED without the client reading anything before it is cut off (with the protocol\'s goodbye)' },
  httpHeadersTimeout: { env: 'KEEP_HTTP_HEADERS_TIMEOUT', flag: '--http-headers-timeout', type: 'int', default: 10, help: 'HTTP: seconds a client may take to send a request\'s headers before the connection is closed' },
  idleTimeout: { env: 'KEEP_IDLE_TIMEOUT', flag: '--idle-timeout', type: 'int', default: 900, help: 'seconds before a silent native session is closed' },
  commandTimeout: { env: 'KEEP_COMMAND_TIMEOUT', flag: '--command-timeout', type: 'int', default: 60, help: 'seconds a client may take to send one command line (a byte-at-a-time trickle is cut off; 0 off)' },
  nativeMaxBadCommands: { env: 'KEEP_NATIVE_MAX_BAD_COMMANDS', flag: '--native-max-bad-commands', type: 'int', default: 20, help: 'native: unknown or overlong commands before the session is closed' },
  registration: { env: 'KEEP_REGISTRATION', flag: '--registration', type: 'string', default: 'validate', help: 'self-registration (native NEWU): open (a local user at once), validate (a new user until an aide validates), closed' },
  nativeOpenRegistration: { env: 'KEEP_NATIVE_OPEN_REGISTRATION', flag: '--native-open-registration', type: 'bool', default: undefined, help: 'older name: true means KEEP_REGISTRATION=open, false closed (KEEP_REGISTRATION wins when both are set)' },
  registrationPerHour: { env: 'KEEP_REGISTRATION_PER_HOUR', flag: '--registration-per-hour', type: 'int', default: 3, help: 'self-registrations one address may make per hour (0 no limit)' },
  internetMailLevel: { env: 'KEEP_INTERNET_MAIL_LEVEL', flag: '--internet-mail-level', type: 'int', default: 4, help: 'access level needed to send mail to Internet addresses (4 network user)' },
  sendPerHour: { env: 'KEEP_SEND_PER_HOUR', flag: '--send-per-hour', type: 'int', default: 200, help: 'Internet recipients one account may send to per hour (0 no limit)' },
  authFailureLimit: { env: 'KEEP_AUTH_FAILURE_LIMIT', flag: '--auth-failure-limit', type: 'int', default: 5, help: 'failed logins per address and per account before throttling' },
  authFailureWindow: { env: 'KEEP_AUTH_FAILURE_WINDOW', flag: '--auth-failure-window', type: 'int', default: 60, help: 'seconds a throttle lasts' },
  heartbeatInterval: { env: 'KEEP_HEARTBEAT_INTERVAL', flag: '--heartbeat-interval', type: 'int', default: 1000, help: 'worker heartbeat interval (ms)' },
  heartbeatTimeout: { env: 'KEEP_HEARTBEAT_TIMEOUT', flag: '--heartbeat-timeout', type: 'int', default: 10000, help: 'missing heartbeat before the worker is replaced (ms)' },
  logLevel: { env: 'KEEP_LOG_LEVEL', flag: '--log-level', type: 'string', default: 'info', help: 'trace, debug, info, warn, error' },
  testFaults: { env: 'KEEP_TEST_FAULTS', flag: '--test-faults', type: 'bool', default: false, help: 'enable fault injection (tests only)' },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

type ValueOf<T extends SettingType> = T extends 'int' ? number : T extends 'bool' ? boolean : T extends 'list' ? string[] : string;

/** The loaded configuration: one typed field per setting. */
export type Config = {
  [K in SettingName]: (typeof SETTINGS)[K]['default'] extends undefined
    ? ValueOf<(typeof SETTINGS)[K]['type']> | undefined
    : ValueOf<(typeof SETTINGS)[K]['type']>;
} & { configFile?: string };
