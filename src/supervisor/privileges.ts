// Privilege separation: started as root, keepd binds every port (and raises its file limit) as
// root, hands the data directory to KEEP_RUN_AS (0700), then becomes that user before the first
// worker starts, so no worker ever runs as root, as Postfix and Dovecot do. Started as anyone
// else, nothing changes.
import { execFileSync } from 'node:child_process';
import { chmodSync, lchownSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/index.ts';

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
 * chown everything under dir to the user (an existing root-owned store moves over whole). Runs as
 * root over a directory the user writes to, so links are changed themselves, never followed: a
 * planted link to /etc/shadow must not hand that file over.
 */
export function chownTree(dir: string, user: SystemUser): void {
  lchownSync(dir, user.uid, user.gid);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (lstatSync(path).isDirectory()) chownTree(path, user);
    else lchownSync(path, user.uid, user.gid);
  }
}

/**
 * As root with KEEP_RUN_AS: give the data (and backup) directories to the user, 0700, then become
 * that user for good (groups, gid, uid, in that order). Throws with a one-line reason.
 */
export function dropPrivileges(opts: { runAs: string; dirs: string[]; log: Logger }): SystemUser {
  const user = lookupUser(opts.runAs);
  if (!user) throw new Error(`KEEP_RUN_AS: there is no user '${opts.runAs}' (keepd install-service creates it)`);
  if (user.uid === 0) throw new Error(`KEEP_RUN_AS: '${opts.runAs}' is root; name an unprivileged user`);
  for (const dir of opts.dirs) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownTree(dir, user);
    chmodSync(dir, 0o700);
  }
  process.setgroups?.([user.gid]); // no supplementary groups kept from root
  process.setgid?.(user.gid);
  process.setuid?.(user.uid);
  if (process.getuid?.() !== user.uid || process.getgid?.() !== user.gid) throw new Error(`could not become ${user.name} (uid ${user.uid})`);
  // what the worker and its libraries read as "who am I"
  Object.assign(process.env, { HOME: user.home, USER: user.name, LOGNAME: user.name });
  opts.log.info({ user: user.name, uid: user.uid, gid: user.gid }, `listeners bound; now running as ${user.name} (uid ${user.uid})`);
  return user;
}
