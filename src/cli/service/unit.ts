// The systemd unit keepd install-service writes (systemd.service(5), systemd.exec(5)). Keep starts
// as root so it can bind ports below 1024, then drops to KEEP_RUN_AS itself (src/supervisor/
// privileges.ts); the sandbox keeps it to its data and backup directories either way.
export interface UnitOptions {
  node: string;
  root: string;
  dataDir: string;
  backupDir: string;
  runAs: string;
  envFile: string;
}

/** The unit file text; pure, so --dry-run and the tests see exactly what is written. */
export function renderUnit(o: UnitOptions): string {
  return `# Keep groupware server, written by keepd install-service. Settings go in ${o.envFile}.
[Unit]
Description=Keep groupware server (mail, forums, news, chat)
Documentation=file://${o.root}/README.md
After=network-online.target
Wants=network-online.target

[Service]
# simple: keepd runs in the foreground; its own watchdog restarts a failed worker in milliseconds,
# and Restart=always is the second line of defence should the supervisor itself exit
Type=simple
ExecStart=${o.node} ${o.root}/bin/keepd.js serve
WorkingDirectory=${o.dataDir}
Environment=KEEP_DATA_DIR=${o.dataDir}
Environment=KEEP_BACKUP_DIR=${o.backupDir}
Environment=KEEP_RUN_AS=${o.runAs}
Environment=NODE_ENV=production
EnvironmentFile=-${o.envFile}
Restart=always
RestartSec=2
# the worker says goodbye to every client and closes the store; give it time
KillMode=mixed
TimeoutStopSec=30
LimitNOFILE=65536
# data files 0600, directories 0700
UMask=0077

# sandbox: the data and backup directories are the only writable places
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=${o.dataDir} -${o.backupDir}
# read-only rather than yes: an installation under /home still has to be readable
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
SystemCallArchitectures=native
# bind low ports, then drop to ${o.runAs}: setuid/setgid, and chown of the data directory
CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_CHOWN CAP_FOWNER CAP_DAC_OVERRIDE

[Install]
WantedBy=multi-user.target
`;
}
