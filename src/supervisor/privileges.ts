// Privilege separation: started as root, keepd binds every port (and raises its file limit) as
// root, hands the data directory to KEEP_RUN_AS (default keep, created if missing; 0700), then
// becomes that user before the first worker starts, so no worker ever runs as root, as Postfix and Dovecot do. Started as anyone
// else, nothing changes.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, fchownSync, lchownSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/index.ts';
import { isSnapshotName } from '../config/snapshot-names.ts';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The passwd entry of a user (through NSS, so LDAP users count), or undefined when there is none. */
export function lookupUser(name: string): SystemUser | undefined {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // getent exits 2 for an unknown user
  }
  const [user, , uid, gid, , home] = line.split(':');
  if (!user || uid === undefined || gid === undefined) return undefined;
  return { name: user, uid: Number(uid), gid: Number(gid), home: home ?? '/' };
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * The user, created as a system user without a login when missing (as install-service does).
 * Several keepd may start at once on a fresh host: a useradd that loses the race is fine when the
 * user exists afterwards.
 */
export function ensureUser(name: string, home: string): SystemUser & { isNew: boolean } {
  const found = lookupUser(name);
  if (found) return { ...found, isNew: false };
  let failure = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--home-dir', home, '--no-create-home', '--shell', '/usr/sbin/nologin', '--comment', 'Keep groupware server', name], { stdio: ['ignore', 'ignore', 'pipe'] });
      const made = lookupUser(name);
      if (made) return { ...made, isNew: true };
      failure = 'useradd reported success, but the user cannot be found';
    } catch (err) {
      const made = lookupUser(name);
      if (made) return { ...made, isNew: false }; // another keepd made it
      // useradd exits 10 while another holds /etc/passwd's lock: wait a moment and try again
      failure = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  throw new Error(`could not create the user ${name}: ${failure}`);
}

/**
 * chown everything under dir to the user (an existing root-owned store moves over whole). Runs as
 * root over a directory the user writes to, so links are changed themselves, never followed: a
 * planted link to /etc/shadow must not hand that file over. Each directory is opened once
 * (O_NOFOLLOW) and read and changed through its descriptor (/proc/self/fd), so a directory the
 * user swaps for a link to /etc between the look and the descent leads nowhere.
 */
export function chownTree(dir: string, user: SystemUser): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    chownOpenDir(fd, user);
  } finally {
    closeSync(fd);
  }
}

function chownOpenDir(fd: number, user: SystemUser): void {
  fchownSync(fd, user.uid, user.gid);
  const here = `/proc/self/fd/${fd}`;
  for (const entry of readdirSync(here)) {
    const path = join(here, entry);
    let child: number;
    try {
      child = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTDIR' && code !== 'ELOOP' && code !== 'ENXIO') throw err;
      lchownSync(path, user.uid, user.gid); // a file, link, socket or fifo: the entry itself
      continue;
    }
    try {
      chownOpenDir(child, user);
    } finally {
      closeSync(child);
    }
  }
}

/**
 * Whether a backup directory may be handed over whole: missing, empty, or holding only Keep's
 * snapshots (keep-<time>, schedule.ts). A KEEP_BACKUP_DIR naming a shared directory
 * (/var/backups holds shadow.bak) must not give its other files to KEEP_RUN_AS.
 */
export function isOwnBackupDir(dir: string): boolean {
  // by the full name: a shared directory may hold other things called keep-…
  return !existsSync(dir) || readdirSync(dir).every(isSnapshotName);
}

/**
 * Give the data directory (the first; checked by checkDataDirectory, and a failure is fatal) and
 * the backup directories to the user, 0700. A backup directory that holds anything but Keep's
 * snapshots, or cannot be handed over, is left as it is and logged: the backup then reports its
 * own failure (health degraded), which is no reason to stay down.
 */
export function handOver(dirs: string[], user: SystemUser, log: Logger): void {
  const [dataDir, ...others] = dirs;
  for (const dir of [dataDir!, ...others]) {
    try {
      if (dir !== dataDir && !isOwnBackupDir(dir)) throw new Error(`${dir} holds files that are not Keep snapshots`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownTree(dir, user);
      chmodSync(dir, 0o700);
    } catch (err) {
      if (dir === dataDir) throw err;
      log.warn({ dir, err: (err as Error).message }, `could not hand ${dir} to ${user.name}`);
    }
  }
}

/**
 * The user keepd becomes must hold no root privilege: not uid 0, and not group 0 either (a
 * user such as CentOS's operator has gid 0, which would keep group root's files writable).
 */
export function checkRunAsUser(user: SystemUser): void {
  if (user.uid === 0) throw new Error(`KEEP_RUN_AS: '${user.name}' is root; name an unprivileged user`);
  if (user.gid === 0) throw new Error(`KEEP_RUN_AS: '${user.name}' has group root (gid 0); name an unprivileged user`);
}

/**
 * As root: give the data (and backup) directories to the user, 0700, then become
 * that user for good (groups, gid, uid, in that order). The first directory is the data directory,
 * which must be handed over; throws with a one-line reason.
 */
export function dropPrivileges(opts: { runAs: string; dirs: string[]; log: Logger }): SystemUser {
  if (!/^[a-z_][a-z0-9_-]*\$?$/i.test(opts.runAs)) throw new Error(`KEEP_RUN_AS: '${opts.runAs}' is not a user name; name an unprivileged user (default keep)`);
  // a fresh host started by hand (npm start as root) gets the user install-service would make
  const user = ensureUser(opts.runAs, '/nonexistent');
  if (user.isNew) opts.log.warn({ user: user.name, uid: user.uid }, `created the system user ${user.name} (KEEP_RUN_AS) to run as`);
  checkRunAsUser(user);
  handOver(opts.dirs, user, opts.log);
  process.setgroups?.([user.gid]); // no supplementary groups kept from root
  process.setgid?.(user.gid);
  process.setuid?.(user.uid);
  if (process.getuid?.() !== user.uid || process.getgid?.() !== user.gid) throw new Error(`could not become ${user.name} (uid ${user.uid})`);
  // what the worker and its libraries read as "who am I"
  Object.assign(process.env, { HOME: user.home, USER: user.name, LOGNAME: user.name });
  opts.log.info({ user: user.name, uid: user.uid, gid: user.gid }, `listeners bound; now running as ${user.name} (uid ${user.uid})`);
  return user;
}
