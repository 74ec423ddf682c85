// The keepd subcommand table: what each command is (for --help) and where its code is. The code
// is imported only when the command runs, so `keepd --help` loads no store, core or translator.
import type { CliCommand } from './types.ts';

export type { CliCommand };

export const COMMANDS: Record<string, CliCommand> = {
  serve: {
    summary: 'run the server (supervisor + worker) in the foreground',
    usage: '[settings]',
    details: 'Binds every listener, starts the worker, restarts it when it dies or stalls. SIGTERM/SIGINT drain and exit 0.\n',
    load: async () => (await import('./serve.ts')).serve,
  },
  'user add': {
    summary: 'create a user (password from --password, KEEP_PASSWORD or a prompt)',
    usage: 'NAME [--password P] [--level 0-6]',
    load: async () => (await import('./user.ts')).userAdd,
  },
  'user passwd': {
    summary: "set a user's password",
    usage: 'NAME [--password P]',
    load: async () => (await import('./user.ts')).userPasswd,
  },
  'user list': {
    summary: 'list users',
    usage: '[--json]',
    load: async () => (await import('./user.ts')).userList,
  },
  'user set-level': {
    summary: "set a user's access level (0 deleted … 6 aide)",
    usage: 'NAME LEVEL',
    load: async () => (await import('./user.ts')).userSetLevel,
  },
  'room add': {
    summary: 'create a room',
    usage: 'NAME [--kind public|hidden|private-invite|private-password] [--password P] [--floor N] [--read-only] [--list-address LOCALPART]',
    load: async () => (await import('./room.ts')).roomAdd,
  },
  'room list': {
    summary: 'list rooms (not mailboxes); --deleted: rooms that can still be restored',
    usage: '[--json] [--deleted]',
    load: async () => (await import('./room.ts')).roomList,
  },
  check: {
    summary: "verify the store's invariants (placements, refcounts, counters, queue, visits)",
    usage: '[--repair] [--json]',
    details: 'Reports problems without changing anything; --repair fixes what can be fixed (audited). Exit 0 when clean.\n'
      + 'Also warns about files under the data and snapshot directories that group or others may read (--repair makes them owner-only).\n',
    load: async () => (await import('./check.ts')).check,
  },
  'queue list': {
    summary: 'list the outbound mail queue (due time, message, recipient, attempts, last error)',
    usage: '[--json]',
    load: async () => (await import('./queue.ts')).queueList,
  },
  'queue retry': {
    summary: 'make queued mail due now (all, or one message)',
    usage: '[MSGNUM]',
    load: async () => (await import('./queue.ts')).queueRetry,
  },
  'queue delete': {
    summary: "remove a message's queue entries without a bounce",
    usage: 'MSGNUM',
    load: async () => (await import('./queue.ts')).queueDelete,
  },
  doctor: {
    summary: 'check what a real host needs: listeners, certificates, file modes, limits, disk, clock, outbound SMTP, DNS',
    usage: '[--json] [--timeout SECONDS]',
    details: 'One line per check: ok, warn or fail (exit 1 when any fails). Run it with the same settings as the server.\n',
    load: async () => (await import('./doctor.ts')).doctor,
  },
  'install-service': {
    summary: 'write a systemd unit for this installation, create the KEEP_RUN_AS user (default keep) and its data directory',
    usage: '[--dry-run] [--unit PATH] [--settings-file PATH]',
    details: 'The unit runs bin/keepd.js serve as root with a sandbox (ProtectSystem=strict, ReadWritePaths= the data and backup directories); keepd binds its ports, then runs as KEEP_RUN_AS. The settings of this shell (KEEP_*) go into the env file when it does not exist yet. --dry-run prints the unit and changes nothing.\n',
    load: async () => (await import('./install-service.ts')).installService,
  },
  audit: {
    summary: 'show the audit trail (who did what, when, from where)',
    usage: '[--since DATE|EPOCH-MS] [--user NAME] [--json]',
    load: async () => (await import('./audit.ts')).audit,
  },
  backup: {
    summary: 'write a consistent, compacted snapshot of the store to DEST (online)',
    usage: 'DEST',
    details: 'DEST must be new or empty. Restore by starting keepd with KEEP_DATA_DIR=DEST.\n',
    load: async () => (await import('./backup.ts')).backup,
  },
  export: {
    summary: 'write the whole store as a portable, versioned text stream',
    usage: '[--out FILE] [--encrypt]',
    details: 'Without --out the stream goes to stdout. --encrypt asks for a passphrase (or reads KEEP_EXPORT_PASSPHRASE).\n',
    load: async () => (await import('./export.ts')).exportStore,
  },
  import: {
    summary: 'load an export into an empty data directory (KEEP_DATA_DIR)',
    usage: 'FILE',
    details: 'An encrypted export asks for its passphrase (or reads KEEP_EXPORT_PASSPHRASE).\n',
    load: async () => (await import('./import.ts')).importStore,
  },
  'restore room': {
    summary: 'restore a deleted room (within the soft-delete window)',
    usage: 'ROOMNUM',
    details: 'Deleted rooms keep their number; `keepd room list --deleted` shows them.\n',
    load: async () => (await import('./restore.ts')).restoreRoom,
  },
  'restore message': {
    summary: 'put a deleted message back into the rooms it was deleted from',
    usage: 'MSGNUM',
    load: async () => (await import('./restore.ts')).restoreMessage,
  },
  dns: {
    summary: 'print the DNS records to publish (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT); --check looks them up',
    usage: '[--check] [--json]',
    details: 'DKIM keys are generated into <data dir>/dkim on first use. --check resolves every record through\n'
      + 'KEEP_DNS_SERVERS and says which are missing or differ; exit 1 unless all are in place.\n',
    load: async () => (await import('./dns.ts')).dns,
  },
  'dkim list': {
    summary: 'list the DKIM keys: domain, selector, algorithm, active or retired',
    usage: '[--json]',
    load: async () => (await import('./dkim.ts')).dkimList,
  },
  'dkim rotate': {
    summary: 'new DKIM keys for every local domain under a new selector; the old ones keep verifying until removed',
    usage: '[--selector BASE]',
    details: 'BASE defaults to keep<year><month><day>. Publish the new records (keepd dns) before mail signed\n'
      + 'with them reaches anyone: signing switches at once.\n',
    load: async () => (await import('./dkim.ts')).dkimRotate,
  },
  'dkim remove': {
    summary: 'remove a retired DKIM selector and its keys',
    usage: 'BASE',
    load: async () => (await import('./dkim.ts')).dkimRemove,
  },
  'list subscribers': {
    summary: "list the Internet subscribers of a room's list address",
    usage: 'ROOM [--json]',
    load: async () => (await import('./list.ts')).listSubscribers,
  },
  'list subscribe': {
    summary: "subscribe an Internet address to a room's list: it gets every message sent to the list address",
    usage: 'ROOM ADDRESS',
    load: async () => (await import('./list.ts')).listSubscribe,
  },
  'list unsubscribe': {
    summary: "remove an address from a room's list",
    usage: 'ROOM ADDRESS',
    load: async () => (await import('./list.ts')).listUnsubscribe,
  },
};
